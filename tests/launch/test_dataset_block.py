"""The dataset block reaches every loader in its role, and the model
follows the data: cases found in review."""
import pickle
import sys

from mmengine.config import Config

import cmd_plugin  # noqa: F401
from cmd_plugin.converters.synthetic import make_synthetic_dataset
from cmd_plugin.launch.dataset_block import fill_datasets_from_block
from cmd_plugin.launch.model_from_data import fill_model_from_data
from cmd_plugin.launch.preflight import check_command
from tests.conftest import ROOT

SYNTHETIC = f'{ROOT}/configs/cmd/cmd_stgcn-tiny_1xb32-20e_synthetic.py'


def block(**extra):
    return dict(ann_file='x.pkl', train_split='tr', val_split='va', **extra)


def test_a_wrapped_knn_reference_keeps_the_training_split():
    wrapped = dict(type='RepeatDataset', times=2,
                   dataset=dict(type='SkeletonDataset'))
    cfg = Config(dict(skeleton_data=block(test_split='te'),
                      val_dataloader=dict(dataset=dict(
                          type='KNNEvalDataset', reference=wrapped,
                          query=dict(type='SkeletonDataset'))),
                      test_dataloader=dict(dataset=dict(
                          type='KNNEvalDataset'))))
    fill_datasets_from_block(cfg)
    val = cfg.val_dataloader.dataset
    assert val.reference.dataset.split == 'tr'
    assert val.query.split == 'va'
    # test_split, when given, is what tools/test.py evaluates
    assert cfg.test_dataloader.dataset.query_split == 'te'
    assert cfg.test_dataloader.dataset.reference_split == 'tr'


def test_a_layout_named_in_the_block_and_defined_on_a_loader_agree():
    from cmd_plugin.skeleton.layouts import as_definition
    cfg = Config(dict(
        skeleton_data=block(layout='nw-ucla'),
        train_dataloader=dict(dataset=dict(
            type='SkeletonDataset', layout=as_definition('nw-ucla')))))
    fill_datasets_from_block(cfg)  # same skeleton, other spelling


def test_a_user_subclass_of_a_method_follows_the_data_too():
    from mmaction.registry import MODELS
    from cmd_plugin.models.selfsup import CMD

    @MODELS.register_module(force=True)
    class MyCMD(CMD):

        def __init__(self, **kwargs):
            super().__init__(**kwargs)

    cfg = Config(dict(
        model=dict(type='MyCMD'),
        train_dataloader=dict(dataset=dict(
            type='SkeletonDataset', ann_file='x.pkl', layout='nw-ucla'))))
    fill_model_from_data(cfg, read_data=False)
    assert cfg.model.layout == 'nw-ucla'


def test_coordinates_are_read_even_when_layout_and_classes_are_stated(
        tmp_path):
    """A 2-D pickle under a block stating layout and class count: the first
    launch already gives the encoder in_channels=2 (not 3 until a dataset
    has kept the record)."""
    data = make_synthetic_dataset(per_class=2, seed=0)
    for ann in data['annotations']:
        ann['keypoint'] = ann['keypoint'][..., :2]
    path = tmp_path / 'flat.pkl'
    path.write_bytes(pickle.dumps(data))
    cfg = Config.fromfile(SYNTHETIC)
    cfg.skeleton_data = dict(ann_file=str(path), train_split='train',
                             val_split='val', layout='nturgb+d',
                             num_classes=8, num_person=2, clip_len=32)
    from cmd_plugin.launch.settled_config import settle_config
    filled = settle_config(cfg)
    assert cfg.model.backbone.in_channels == 2
    assert 'model.backbone.in_channels = 2' in filled


def test_a_block_file_takes_no_field_options(tmp_path):
    message = check_command('train', [
        SYNTHETIC, '--cfg-options',
        'skeleton_data=configs/_base_/datasets/sbu-fold1.py',
        'skeleton_data.clip_len=16'])
    assert 'takes no skeleton_data.<field> options' in message


def test_a_layout_registered_in_custom_imports_passes_the_preflight(
        tmp_path, monkeypatch, synthetic_pkl):
    from cmd_plugin.launch import tool as launch
    module = tmp_path / 'my_layouts.py'
    module.write_text(
        'from cmd_plugin.skeleton.layouts import NTU_RGBD_25, '
        'register_layout\n'
        "register_layout(dict(NTU_RGBD_25, name='my-ntu'), force=True)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    config = tmp_path / 'cfg.py'
    config.write_text(
        f"_base_ = '{SYNTHETIC}'\n"
        "custom_imports = dict(imports=['cmd_plugin', 'my_layouts'], "
        'allow_failed_imports=False)\n'
        f"skeleton_data = dict(ann_file='{synthetic_pkl}', "
        "layout='my-ntu')\n")
    sys.modules.pop('my_layouts', None)
    launch.check_settings('train.py', [str(config)])  # no SystemExit


def test_a_cmd_encoder_of_one_stream_serves_no_other():
    from cmd_plugin.models.selfsup.encoder_prefix import stream_encoder
    joint_only = ['query_encoders.joint.backbone.w']
    assert stream_encoder(joint_only, 'joint') == 'joint'
    assert stream_encoder(joint_only, 'bone') is None
    assert stream_encoder(['query_encoders.scd.backbone.w'], 'bone') == 'scd'


def test_a_registered_definition_is_stored_completed():
    from cmd_plugin.skeleton.layouts import (LAYOUTS, bone_parents,
                                             graph_layout, register_layout)
    register_layout(dict(name='chain4', num_node=4,
                         inward=[(1, 0), (2, 1), (3, 2)]), force=True)
    try:
        assert bone_parents('chain4') == [0, 0, 1, 2]
        assert graph_layout('chain4')['center'] == 0
    finally:
        LAYOUTS.pop('chain4')
