"""Export one stream's backbone of a CMD checkpoint for MMAction2 configs.

    python tools/model_converters/export_backbone.py CKPT --stream joint \
        --out stgcn_joint.pth [--which query|key]

The output loads into a stock ST-GCN recognizer config with
``--cfg-options model.backbone.init_cfg.type=Pretrained
model.backbone.init_cfg.checkpoint=stgcn_joint.pth
model.backbone.init_cfg.prefix=backbone.``
"""
import argparse
import pickle
import sys

from cmd_plugin.utils.export import export_backbone


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('checkpoint', help='a CMD checkpoint (.pth)')
    parser.add_argument('--stream', default='joint',
                        help='joint, motion or bone (default: joint)')
    parser.add_argument('--out', required=True, help='file to write')
    parser.add_argument(
        '--which', choices=('query', 'key'), default='query',
        help='query encoder (default; the one CMD evaluates) or its EMA '
        'key encoder')
    args = parser.parse_args()
    # NotACheckpointError is a ValueError, UnsafeCheckpointError an
    # UnpicklingError: each already says what to change
    try:
        meta = export_backbone(args.checkpoint, args.stream, args.out,
                               args.which)
    except (ValueError, OSError, pickle.UnpicklingError) as err:
        print(f'export_backbone: {err}', file=sys.stderr)
        return 1
    print(f'wrote {args.out}: {meta["num_tensors"]} tensors of the '
          f'{args.stream} {args.which} encoder\'s backbone; load with '
          "init_cfg=dict(type='Pretrained', checkpoint="
          f"'{args.out}', prefix='backbone.')")
    return 0


if __name__ == '__main__':
    sys.exit(main())
