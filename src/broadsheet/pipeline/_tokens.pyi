import numpy as np

def token_counts(
    low: np.ndarray,
    t_start: np.ndarray,
    t_end: np.ndarray,
    char_line: np.ndarray,
    n: int,
    page_tokens: int,
    hash_r: int,
    mix: int,
    lex_keys: np.ndarray,
    lex_bits: np.ndarray,
    width: int,
    tag_bit: int,
    phrase: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray | None, int]: ...
