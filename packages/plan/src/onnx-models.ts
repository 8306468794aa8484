/**
 * A plan's .onnx files as cell models. A file has no family or knobs, so its identity is its name and content hash
 * (`model.onnx@<12 hex of sha256>`, plus the input shapes when they were given): the same name with other bytes is
 * another model, and --resume never takes one for the other.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseNumber, userError } from '@mvbench/core';
import { readOnnxModelFile, type InputShape, type OnnxModelFile } from '@mvbench/onnx';

/** what the file says of itself (inputs, outputs, ops, params, MACs or why the IR importer cannot read it), and where it is */
export interface OnnxCellModel extends Omit<OnnxModelFile, 'bytes'> {
  /** the cell's model identity: `<file name>@<sha256 prefix>[:<shapes given>]` */
  spec: string;
  /** absolute path, read when the cell runs */
  path: string;
  /** the file name, without its folder (what rows keep) */
  file: string;
  sha256: string;
  /** the shapes given for dynamic dimensions (empty: the file's own) */
  inputShapes: InputShape[];
}

/** `1x3x256x256` or `<input name>=1x3x256x256`, every dimension a positive integer (`where` names the option or field) */
export function parseInputShape(text: string, where: string): InputShape {
  const eq = text.lastIndexOf('=');
  const name = eq >= 0 ? text.slice(0, eq).trim() : undefined;
  const dims = text.slice(eq + 1).trim();
  if (name === '' || !/^[^x]+(x[^x]+)*$/.test(dims))
    throw userError('BAD_ARGUMENT', `${where} '${text}': expected a shape such as 1x3x256x256, or <input name>=1x3x256x256`);
  return { ...(name !== undefined && { name }), dims: dims.split('x').map((d) => parseNumber(d, `${where} '${text}'`, { integer: true, min: 1 })) };
}

/** reads, hashes and checks one .onnx file of a plan; a user error naming `where` for a missing or unusable file */
export function loadOnnxModel(entry: { file: string; inputShapes?: string[] }, where: string): OnnxCellModel {
  const shapes = (entry.inputShapes ?? []).map((s) => parseInputShape(s, `${where} input shape`));
  const { bytes: _, ...model } = load(resolve(entry.file), shapes, `${where}: ${entry.file}`);
  return model;
}

/** the bytes a cell runs: the file with the given input shapes written in; an error if the file changed since it was planned */
export function onnxModelBytes(m: OnnxCellModel): Uint8Array {
  const now = load(m.path, m.inputShapes, m.file);
  if (now.sha256 !== m.sha256) throw userError('CORRUPT_FILE', `${m.path} changed while the sweep ran (sha256 ${now.sha256.slice(0, 12)}, planned ${m.sha256.slice(0, 12)})`);
  return now.bytes;
}

function load(path: string, shapes: InputShape[], what: string): OnnxCellModel & { bytes: Uint8Array } {
  if (!existsSync(path) || !statSync(path).isFile()) throw userError('FILE_NOT_FOUND', `${what}: ONNX file not found`);
  const raw = new Uint8Array(readFileSync(path));
  const m = readOnnxModelFile(raw, what, shapes);
  const file = basename(path);
  const sha256 = createHash('sha256').update(raw).digest('hex');
  const given = shapes.map((s) => `${s.name ? `${s.name}=` : ''}${s.dims.join('x')}`).join(',');
  return { spec: `${file}@${sha256.slice(0, 12)}${given ? `:${given}` : ''}`, path, file, sha256, inputShapes: shapes, ...m };
}
