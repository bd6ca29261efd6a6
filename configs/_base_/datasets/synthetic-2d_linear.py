# Linear evaluation on the synthetic-2d block (2-D keypoints), loaded in
# the main process (2-core machines).
_base_ = ['../protocols/linear.py', './synthetic-2d.py']

__loader = dict(num_workers=0, persistent_workers=False)  # __: not kept
train_dataloader = dict(batch_size=32, **__loader)
val_dataloader = dict(**__loader)
test_dataloader = val_dataloader
