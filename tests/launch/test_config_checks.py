"""Config values that nothing would read are refused before a run starts."""
import pytest
from mmengine.config import Config

import cmd_plugin  # noqa: F401
from cmd_plugin.launch.config_checks import check_config
from cmd_plugin.launch.preflight import check_command

DEMO = 'configs/cmd/cmd_stgcn-tiny_1xb32-20e_synthetic.py'


def demo_cfg(**options):
    cfg = Config.fromfile(DEMO)
    cfg.merge_from_dict(options)
    return cfg


def test_shipped_config_passes():
    check_config(demo_cfg())


@pytest.mark.parametrize('options,message', [
    (dict(ann_file='x.pkl'), r"top-level 'ann_file' is read by nothing.*"
     r'train_dataloader.dataset.ann_file'),
    (dict(queue_size=64), r"'queue_size' .* model.queue_size"),
    (dict(train_pipeline=[dict(type='PackActionInputs')]),
     'top-level train_pipeline is not the pipeline train_dataloader uses'),
    # the block leaves the layout to the data; a config that states it on
    # a dataset must agree with the model
    (dict(model=dict(layout='nw-ucla'),
          train_dataloader=dict(dataset=dict(layout='nturgb+d'))),
     r"train_dataloader.dataset.layout='nturgb\+d' differs from "
     r"model.layout='nw-ucla'"),
])
def test_ignored_or_inconsistent_settings_are_errors(options, message):
    with pytest.raises(ValueError, match=message):
        check_config(demo_cfg(**options))


def test_a_child_redefining_a_base_variable_is_refused(tmp_path):
    child = tmp_path / 'child.py'
    child.write_text(f"_base_ = '{__import__('os').path.abspath(DEMO)}'\n"
                     'clip_len = 16\n')
    with pytest.raises(ValueError, match="'clip_len' is read by nothing"):
        check_config(Config.fromfile(str(child)))


def test_preflight_refuses_cfg_options_that_nothing_reads():
    message = check_command(
        'train', [DEMO, '--cfg-options', 'ann_file=elsewhere.pkl'])
    assert message and "'ann_file' is read by nothing" in message
    # stock MMAction2 configs keep their helper variables
    stock = check_command('train', ['tests/configs/stgcn_tiny_synthetic.py'])
    assert stock is None or 'read by nothing' not in stock


def test_train_refuses_a_dataset_layout_before_loading_data(synthetic_pkl):
    from tests.conftest import run_tool
    proc = run_tool(['tools/train.py', DEMO, '--cfg-options',
                     'val_dataloader.dataset.layout=nw-ucla'],
                    dict(CMD_DEMO_ANN_FILE=synthetic_pkl), check=False)
    assert proc.returncode == 1
    assert ("val_dataloader.dataset.layout='nw-ucla' differs from "
            "model.layout='nturgb+d'") in proc.stderr
    assert 'cannot start, nothing was run' in proc.stderr
    assert 'Traceback' not in proc.stderr


def test_named_training_views_must_be_the_ones_the_loader_uses():
    """A ``<name>_train_pipeline`` from configs/_base_/pipelines/ is read
    through the training loader; a copy it does not use is refused."""
    cfg = Config.fromfile(
        'configs/cmd/cmd_stgcn-tiny32_1xb32-60e_ucla-xview-keypoint-3d.py')
    check_config(cfg)
    cfg.cmd_cpu_train_pipeline = cfg.cmd_cpu_train_pipeline[:1]
    with pytest.raises(ValueError, match='top-level cmd_cpu_train_pipeline '
                       'is not the pipeline train_dataloader uses'):
        check_config(cfg)
    cfg = Config.fromfile(
        'configs/cmd/cmd_stgcn-tiny32_1xb32-60e_ucla-xview-keypoint-3d.py')
    cfg.eval_pipeline_copy = []
    with pytest.raises(ValueError, match="'eval_pipeline_copy' is read by "
                       'nothing'):
        check_config(cfg)


def test_float16_amp_is_refused_for_ctrgcn_and_bfloat16_is_not():
    """MMAction2's --amp makes the optimizer wrapper AmpOptimWrapper
    (float16 on a GPU): CTR-GCN's 1e-6 BatchNorm start makes its topology
    gradients underflow there; bfloat16 passes, as does CMD's ST-GCN."""
    scd = Config.fromfile(
        'configs/scdnet/scdnet_ctrgcn-tiny_1xb32-20e_synthetic.py')
    scd.optim_wrapper.type = 'AmpOptimWrapper'
    with pytest.raises(ValueError, match=r"float16 mixed precision \(--amp\) "
                       r"with \['CTRGCNTrunk'\].*optim_wrapper.dtype=bfloat16"):
        check_config(scd)
    scd.optim_wrapper.dtype = 'bfloat16'
    check_config(scd)
    cmd = demo_cfg()
    cmd.optim_wrapper.type = 'AmpOptimWrapper'
    check_config(cmd)
