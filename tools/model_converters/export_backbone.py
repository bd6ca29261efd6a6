"""Export one stream's backbone of a self-supervised checkpoint for
MMAction2 configs.

    python tools/model_converters/export_backbone.py CKPT --stream joint \
        --out stgcn_joint.pth [--which query|key] [--layout NAME|DATA.pkl]

The output records the skeleton it was trained on (its meta), and the
command prints the stock MMAction2 backbone settings that load it: the
backbone as pretrained, its graph layout as a dict, and
``init_cfg=dict(type='Pretrained', checkpoint=OUT, prefix='backbone.')``.
``--layout`` refuses a checkpoint trained on another skeleton than that
layout (a registered name, or the layout an annotation pickle records).
"""
import argparse
import pickle
import sys

from cmd_plugin.analysis.export import export_backbone, stock_settings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('checkpoint',
                        help='a CMD or SCD-Net pretraining checkpoint')
    parser.add_argument('--stream', default='joint',
                        help='joint, motion or bone (default: joint)')
    parser.add_argument('--out', required=True, help='file to write')
    parser.add_argument(
        '--which', choices=('query', 'key'), default='query',
        help='query encoder (default; the one CMD evaluates) or its EMA '
        'key encoder')
    parser.add_argument(
        '--layout', help='refuse a checkpoint trained on another skeleton: '
        "a layout name, or an annotation .pkl whose recorded layout is meant")
    args = parser.parse_args()
    # NotACheckpointError is a ValueError, UnsafeCheckpointError an
    # UnpicklingError: each already says what to change
    try:
        layout = _layout(args.layout) if args.layout else None
        meta = export_backbone(args.checkpoint, args.stream, args.out,
                               args.which, expect_layout=layout)
    except (ValueError, OSError, pickle.UnpicklingError) as err:
        print(f'export_backbone: {err}', file=sys.stderr)
        return 1
    print(f'wrote {args.out}: {meta["num_tensors"]} tensors of the '
          f'{args.stream} {args.which} encoder\'s backbone')
    settings = stock_settings(meta, args.out)
    backbone = (meta.get('skeleton') or {}).get('backbone') or {}
    if settings:
        print('load it into an MMAction2 recognizer config with:\n'
              + settings)
    elif backbone:
        print(f"its backbone ({backbone.get('type')}) is the plugin's, not "
              "one of MMAction2's: load it with the plugin's "
              'SkeletonStreamRecognizer (model.pretrained=' + args.out
              + ", model.pretrained_prefix='backbone.')")
    else:
        print("load with init_cfg=dict(type='Pretrained', checkpoint="
              f"'{args.out}', prefix='backbone.') (the checkpoint records "
              'no skeleton: give the backbone the layout it was trained on)')
    return 0


def _layout(value: str):
    if not value.endswith('.pkl'):
        return value
    from cmd_plugin.datasets.data_record import read_record
    layout = read_record(value)['layout']
    if layout is None:
        raise ValueError(f'--layout {value}: the pickle records no layout; '
                         'give the layout name instead')
    return layout


if __name__ == '__main__':
    sys.exit(main())
