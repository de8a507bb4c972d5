import numpy as np

def signature(
    data: bytes,
    shingle: int,
    base: int,
    inverse: int,
    probes: np.ndarray,
    bin_bits: int,
    value_shift: int,
) -> tuple[bytes, int]: ...
