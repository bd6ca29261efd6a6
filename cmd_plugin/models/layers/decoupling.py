"""One branch of SCD-Net's decoupling module (Wu et al., AAAI 2024).

A clue is read from trunk features arranged as a set of tokens: a token
MLP embeds each token, one transformer encoder layer mixes them and a max
over the tokens pools the set into one vector. SCD-Net has two branches,
frames as tokens (temporal clue) and person-joints as tokens (spatial
clue); see :class:`~cmd_plugin.models.backbones.SCDEncoder`.
"""
from torch import Tensor, nn


class ClueBranch(nn.Module):
    """Token MLP, one post-LN transformer encoder layer, max over tokens.

    No positional encoding, as published: the max pooling makes the branch
    invariant to the token order anyway.

    Args:
        in_channels (int): Size of one input token.
        embed_dim (int): d, the token and output size.
        num_heads (int): Attention heads; must divide ``embed_dim``.
        dropout (float): Dropout of the transformer layer.
    """

    def __init__(self, in_channels: int, embed_dim: int, num_heads: int = 8,
                 dropout: float = 0.1) -> None:
        super().__init__()
        if embed_dim % num_heads:
            raise ValueError(
                f'SCDEncoder embed_dim={embed_dim} is not divisible by '
                f'num_heads={num_heads}; pick an embed_dim that is a '
                'multiple of num_heads (published: 2048 and 8)')
        self.in_channels = in_channels
        self.embed_dim = embed_dim
        self.token_mlp = nn.Sequential(
            nn.Linear(in_channels, embed_dim), nn.LayerNorm(embed_dim),
            nn.ReLU(inplace=True), nn.Linear(embed_dim, embed_dim))
        # torch's own layer, so eval mode gets its fused fast path
        self.transformer = nn.TransformerEncoderLayer(
            d_model=embed_dim, nhead=num_heads, dim_feedforward=embed_dim,
            dropout=dropout, batch_first=True)

    def forward(self, tokens: Tensor) -> Tensor:
        """(N, L, in_channels) tokens -> (N, embed_dim) clue."""
        if tokens.dim() != 3 or tokens.shape[-1] != self.in_channels:
            raise ValueError(
                f'ClueBranch expects (N, tokens, {self.in_channels}) '
                f'tokens, got shape {tuple(tokens.shape)}; the trunk '
                'output does not match SCDEncoder clip_len/num_person/'
                'channels')
        return self.transformer(self.token_mlp(tokens)).amax(dim=1)
