/** the report's stylesheet */
export const STYLE = `
body { font: 14px/1.45 'Liberation Sans', Arial, Helvetica, sans-serif; color: #222; margin: 0 auto; padding: 0 24px 48px; max-width: 1280px; }
header { border-bottom: 1px solid #ddd; padding-bottom: 8px; }
h1 { font-size: 24px; margin: 20px 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; }
h2.small { font-size: 14px; margin: 12px 0 4px; color: #555; }
.meta { color: #444; margin: 4px 0; }
.failures { color: #a61b1b; }
ul.machines { margin: 4px 0; padding-left: 20px; color: #333; }
ul.notes { margin: 8px 0; padding: 6px 12px 6px 28px; background: #fffbe6; border-left: 3px solid #e8c547; }
ul.machines li { margin-bottom: 4px; }
nav { position: sticky; top: 0; background: #fafafa; border-bottom: 1px solid #e4e4e4; padding: 6px 0; font-size: 13px; z-index: 1; }
nav a { color: #1f5fa8; text-decoration: none; }
section.figure { margin: 28px 0; overflow-x: auto; }
.note { color: #555; background: #f6f6f6; border-left: 3px solid #bbb; padding: 8px 12px; }
.help { color: #666; font-size: 13px; }
.scroll { overflow-x: auto; }
table.sortable { border-collapse: collapse; font-size: 12.5px; width: 100%; }
table.sortable th { position: sticky; top: 0; background: #f0f0f0; text-align: left; padding: 0; white-space: nowrap; }
table.sortable th button { all: unset; cursor: pointer; display: block; padding: 5px 6px; }
table.sortable th[aria-sort=ascending] button::after { content: ' ▲'; }
table.sortable th[aria-sort=descending] button::after { content: ' ▼'; }
table.sortable td { padding: 3px 6px; border-bottom: 1px solid #eee; white-space: nowrap; }
table.sortable td:last-child { white-space: normal; min-width: 160px; overflow-wrap: anywhere; }
table.sortable .num { text-align: right; font-variant-numeric: tabular-nums; }
table.sortable th.num button { margin-left: auto; }
tr.failed td { background: #fdeeee; }
tr.contended td { background: #fff6dd; }
table.claims { border-collapse: collapse; font-size: 12.5px; width: 100%; }
table.claims th { background: #f0f0f0; text-align: left; padding: 5px 6px; }
table.claims td { padding: 3px 6px; border-bottom: 1px solid #eee; vertical-align: top; }
table.claims .claim-text { display: block; max-width: 320px; }
table.claims td.nw { white-space: nowrap; }
td.v-holds { background: #e6f4e6; } td.v-holds-weaker { background: #f3f7dc; } td.v-does-not-hold { background: #fdf0dc; }
td.v-reversed { background: #fde2e2; } td.v-not-measured { color: #777; }
`;
