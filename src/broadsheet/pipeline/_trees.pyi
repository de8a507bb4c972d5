import numpy as np

def dense_raw(
    x: np.ndarray,
    feature: np.ndarray,
    threshold: np.ndarray,
    nan_left: np.ndarray,
    leaves: np.ndarray,
    roots: np.ndarray,
    depth: int,
    out: np.ndarray,
) -> None: ...
def packed_raw(
    x: np.ndarray,
    feature: np.ndarray,
    threshold: np.ndarray,
    leaf: np.ndarray,
    top: int,
    depth: int,
    bounds: np.ndarray,
    out: np.ndarray,
) -> None: ...
