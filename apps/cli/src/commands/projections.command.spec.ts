import { formatProgress, formatTable } from './projections.command';

describe('projections command output', () => {
  it('draws the progress bar with counts and rate', () => {
    expect(formatProgress(45_000, 100_000, 12_345.4)).toBe('[#####-----] 45% 45,000/100,000 events 12,345 ev/s');
    expect(formatProgress(0, 0, 0)).toBe('[##########] 100% 0/0 events 0 ev/s');
    expect(formatProgress(3, 1000, 1)).toBe('[----------] 0% 3/1,000 events 1 ev/s');
  });

  it('aligns the status table', () => {
    expect(
      formatTable(
        ['a', 'bb'],
        [
          ['xxx', '1'],
          ['y', '22'],
        ],
      ),
    ).toBe('a    bb\n---  --\nxxx  1\ny    22\n');
  });
});
