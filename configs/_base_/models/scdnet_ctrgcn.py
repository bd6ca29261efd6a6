# SCD-Net (Wu et al., AAAI 2024) at its published sizes: two CTR-GCN trunks
# 3 -> 64 -> 256 -> 64 without temporal stride, clues of d = 2048 (the
# downstream feature [v_t; v_s] is 4096-d), projectors to 128, three queues
# of 8192 keys, tau = 0.2, m = 0.999. About 92 M parameters per encoder.
# The trunk graph, its persons and coordinates and the encoder's clip_len
# (the token sizes depend on it) are left out: they follow the data.
model = dict(
    type='SCDNet',
    backbone=dict(
        type='SCDEncoder',
        trunk=dict(
            type='CTRGCNTrunk',
            channels=(64, 256, 64),
            kernel_size=5,
            dilations=(1, 2),
            reduction=8),
        embed_dim=2048,
        num_heads=8,
        dropout=0.1),
    modality='joint',  # converted in the pipeline (ToModality)
    queue_size=8192,
    feat_dim=128,
    ema_momentum=0.001,  # MMEngine's convention: m = 1 - 0.001 = 0.999
    contrast_loss=dict(type='InfoNCELoss', temperature=0.2))
