"""Per-stream and fused accuracy of ``tools/test.py --dump`` files.

    python tools/analysis_tools/report_accuracy.py \
        --preds joint.pkl motion.pkl bone.pkl [--coefficients 1 1 1]

Checks that the dumps hold the same samples in the same order, runs
MMAction2's own ``tools/analysis_tools/report_accuracy.py`` on each dump and
on all of them with the coefficients, and prints one table (percent).
"""
import argparse
import sys

from cmd_plugin.utils.score_fusion import format_table, fusion_report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--preds', nargs='+', required=True,
                        help='dump files, one per stream')
    parser.add_argument('--coefficients', nargs='+', type=float,
                        help='weight per stream (default: all 1)')
    parser.add_argument('--apply-softmax', action='store_true',
                        help='softmax each stream\'s scores before fusing')
    args = parser.parse_args()
    try:
        rows = fusion_report(args.preds, args.coefficients,
                             args.apply_softmax)
    except (ValueError, OSError) as err:
        print(f'report_accuracy: {err}', file=sys.stderr)
        return 1
    print('accuracy (%) from MMAction2\'s '
          'tools/analysis_tools/report_accuracy.py')
    print(format_table(rows))
    return 0


if __name__ == '__main__':
    sys.exit(main())
