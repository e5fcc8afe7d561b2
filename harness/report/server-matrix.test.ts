import { describe, expect, it } from 'vitest';
import { matrixHtml, matrixMarkdown, type MatrixCell } from './server-matrix.ts';

const row = (variant: string, met: boolean, status: string, runDir?: string, error?: string) => ({ scenario: 'cl', variant, status, met, runDir, error });
const cells: MatrixCell[] = [
  { scenario: 'cl', variant: 'incident', server: 'sut', row: row('incident', true, 'reproduced', '/out/cl/cl-incident-1') },
  { scenario: 'cl', variant: 'incident', server: 'sockudo', row: row('incident', false, 'not reproduced', '/out/cl/cl-incident-sockudo-1') },
  { scenario: 'ka', variant: 'incident', server: 'sut', row: { ...row('incident', false, 'error', undefined, 'pod did not start'), scenario: 'ka' } },
  { scenario: 'ka', variant: 'incident', server: 'sockudo', notApplicable: 'needs our server\'s root-cause switch KEEPALIVE_DOUBLE_4XX=true' },
];

describe('the scenario × server matrix', () => {
  it('has a column per server and a row per variant, each cell with its verdict, error or reason and report link', () => {
    const md = matrixMarkdown(cells, '/out', 'now');
    expect(md).toContain('| scenario / variant | sut | sockudo |');
    expect(md).toContain('| cl / incident | ✔ reproduced ([report](cl/cl-incident-1/report.html)) | ✘ not reproduced ([report](cl/cl-incident-sockudo-1/report.html)) |');
    expect(md).toContain("| ka / incident | ✘ error: pod did not start | – not applicable: needs our server's root-cause switch KEEPALIVE_DOUBLE_4XX=true |");
    expect(md).toContain('- sut: 1 of 2 run variant(s) met their expectation; 0 not applicable');
    expect(md).toContain('- sockudo: 0 of 1 run variant(s) met their expectation; 1 not applicable');
    // Columns follow --server's order, not the order results came in.
    expect(matrixMarkdown([...cells].reverse(), '/out', 'now', ['sut', 'sockudo'])).toContain('| scenario / variant | sut | sockudo |');
    const html = matrixHtml(cells, '/out', 'now');
    expect(html).toContain('<a href="cl/cl-incident-sockudo-1/report.html">report</a>');
    expect(html).toContain('class="na"');
  });
});
