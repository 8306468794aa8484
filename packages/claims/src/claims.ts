/**
 * The papers' claims as data (issue #15; wording and sources as the issue cites them). Each names the cells that
 * judge it: pairs of specs compared per runner setting, or the token-scaling sweep (plan `token-scaling`).
 */

/** `faster` is claimed to run `factor` times as fast as `slower` (null: faster, no figure) */
interface SpeedPair {
  faster: string;
  slower: string;
}

/** `with` is the network with its attention, `without` the same network without a token mixer */
interface OverheadPair {
  with: string;
  without: string;
}

interface ClaimBase {
  id: string;
  claim: string;
  source: string;
  /** the paper's figure in a few words, shown beside the measured one */
  paper: string;
}

export type Claim =
  | (ClaimBase & { kind: 'speed'; factor: number | null; pairs: SpeedPair[] })
  | (ClaimBase & { kind: 'overhead'; pairs: OverheadPair[] })
  | (ClaimBase & { kind: 'complexity' });

const MOBILEVIT = 'Mehta & Rastegari, MobileViT, ICLR 2022, section on inference time';

export const CLAIMS: readonly Claim[] = [
  {
    id: 'v2-vs-v1',
    claim: 'MobileViTv2-0.75 (75.6% top-1, about 3 M params) outperforms MobileViT (XS) by about 1% top-1 while running 3.2x faster on a mobile device (iPhone 12, CoreML)',
    source: 'Mehta & Rastegari, Separable Self-attention for Mobile Vision Transformers, TMLR 2023, abstract',
    paper: '3.2x faster, +1% top-1',
    kind: 'speed', factor: 3.2, pairs: [{ faster: 'mobilevitv2_075', slower: 'mobilevit_xs' }],
  },
  {
    id: 'swift-vs-v2',
    claim: 'SwiftFormer-S (78.5% top-1) is more accurate than MobileViTv2 (1.0) and 2x faster; 0.8 ms on iPhone 14',
    source: 'Shaker et al., SwiftFormer, ICCV 2023, abstract',
    paper: '2x faster, more accurate',
    kind: 'speed', factor: 2, pairs: [{ faster: 'swiftformer_s', slower: 'mobilevitv2_100' }],
  },
  {
    id: 'configB',
    claim: 'MobileViT with Config-B patches (8,4,2) is faster than Config-A (2,2,2), and Config-A is more accurate',
    source: MOBILEVIT,
    paper: 'Config-B faster',
    kind: 'speed', factor: null,
    pairs: ['mobilevit_xxs', 'mobilevit_xs', 'mobilevit_s'].map((id) => ({ faster: `${id}:patch=B`, slower: id })),
  },
  {
    id: 'vit-vs-cnn',
    claim: 'MobileViT is slower than MobileNetV2 on mobile devices',
    source: MOBILEVIT,
    paper: 'MobileNetV2 faster',
    kind: 'speed', factor: null, pairs: [{ faster: 'mobilenetv2_100', slower: 'mobilevit_xs' }],
  },
  {
    id: 'complexity',
    claim: 'multi-head self-attention costs O(k^2) in the number of tokens k; separable (MobileViTv2) and efficient additive (SwiftFormer) attention cost O(k)',
    source: 'both papers',
    paper: 'mhsa k^2; separable, additive k^1',
    kind: 'complexity',
  },
  {
    id: 'all-stages',
    claim: 'efficient additive attention is cheap enough to use in every stage of the network',
    source: 'SwiftFormer',
    paper: 'attention in all 4 stages is cheap',
    kind: 'overhead',
    pairs: ['swiftformer_xs', 'swiftformer_s'].map((id) => ({ with: id, without: `${id}:attention=none` })),
  },
];
