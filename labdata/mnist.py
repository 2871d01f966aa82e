"""load_mnist: the book's loader, for the embedded 10k digits, full MNIST and Fashion-MNIST."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from labdata.datasets import DATASETS, Dataset, IdxFile
from labdata.errors import DataError
from labdata.idx import parse_idx, read_idx_bytes, sha256_of_content

Split = tuple[np.ndarray, np.ndarray]
N_CLASSES = 10


def load_mnist(
    normalize: bool = True,
    flatten: bool = True,
    one_hot_label: bool = False,
    *,
    dataset: str = "mnist-10k",
    data_dir: str | os.PathLike | None = None,
    download: bool = True,
    cache_dir: str | os.PathLike | None = None,
    base_url: str | None = None,
    dtype: np.typing.DTypeLike = np.float32,
    progress: bool = True,
) -> tuple[Split, Split]:
    """Return ``((x_train, t_train), (x_test, t_test))`` as the book's ``load_mnist`` does.

    Args:
        normalize: scale pixels to [0, 1] as ``dtype``; otherwise keep uint8 0..255.
        flatten: images as rows of 784; otherwise shape (N, 1, 28, 28).
        one_hot_label: labels as one-hot rows of ``dtype``; otherwise uint8 indices.
        dataset: ``mnist-10k`` (embedded, 8,000 / 2,000), ``mnist`` or ``fashion-mnist``.
        data_dir: a directory holding the data set's files (``.gz`` or unzipped);
            when given, nothing else is searched and nothing is downloaded.
        download: fetch missing files into the cache when no copy is found.
        cache_dir: where downloads go (default ``$BACKPROP_LAB_CACHE`` or
            ``~/.cache/backprop-lab``, one sub-directory per data set).
        base_url: download from this URL prefix instead of the data set's mirrors.
        progress: show a progress bar while downloading.

    Raises:
        DataError: a file is missing, corrupt, of the wrong kind, or fails its checksum.
    """
    spec = _dataset(dataset)
    arrays = {f.name: _load_verified(_find(spec, f, data_dir, download, cache_dir, base_url, progress), f)
              for f in spec.files}
    images = arrays[spec.train_images.name]
    labels = arrays[spec.train_labels.name]
    _check_pair(spec.train_images, images, spec.train_labels, labels)
    if spec.test_images is None:
        train = (images[:spec.train_size], labels[:spec.train_size])
        test = (images[spec.train_size:], labels[spec.train_size:])
    else:
        test_images = arrays[spec.test_images.name]
        test_labels = arrays[spec.test_labels.name]
        _check_pair(spec.test_images, test_images, spec.test_labels, test_labels)
        train, test = (images, labels), (test_images, test_labels)
    return tuple(_prepare(x, t, normalize, flatten, one_hot_label, dtype) for x, t in (train, test))


def dataset_names() -> list[str]:
    """The data set names ``load_mnist`` accepts."""
    return list(DATASETS)


def default_cache_dir() -> Path:
    """The directory downloads go to when no ``cache_dir`` is given."""
    if env := os.environ.get("BACKPROP_LAB_CACHE"):
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "backprop-lab"


def _dataset(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError:
        raise DataError(f"unknown data set {name!r}; choose one of {', '.join(DATASETS)}",
                        ko=f"모르는 데이터셋 {name!r}입니다. 다음 중에서 고르세요: {', '.join(DATASETS)}") from None


def _find(spec: Dataset, file: IdxFile, data_dir, download: bool, cache_dir, base_url, progress) -> Path:
    """Where ``file`` is: the named directory, else the environment's, else known places, else a download."""
    if data_dir is not None:
        places = [Path(data_dir)]
    elif spec.env_var and os.environ.get(spec.env_var):
        places = [Path(os.environ[spec.env_var])]
    else:
        cache = Path(cache_dir) if cache_dir is not None else default_cache_dir() / spec.name
        places = [*spec.system_dirs, cache]
    for place in places:
        for candidate in (place / file.name, place / file.name.removesuffix(".gz")):
            if candidate.is_file():
                return candidate
    searched = ", ".join(str(p) for p in places)
    missing = dict(ko=f"{spec.name}의 {file.name}을(를) {searched}에서 찾지 못했습니다")
    if data_dir is not None or (spec.env_var and os.environ.get(spec.env_var)) or not download:
        raise DataError(f"{file.name} of {spec.name} not found in {searched}", **missing)
    urls = (base_url,) if base_url else spec.urls
    if not urls:
        raise DataError(f"{file.name} of {spec.name} not found in {searched}", **missing)
    failures = []
    for url in urls:
        try:
            from labdata.download import download  # urllib, http and rich's progress bars: only when needed
            return download(url.rstrip("/") + "/" + file.name, file, places[-1], progress=progress)
        except DataError as exc:
            failures.append(str(exc))
    hint = f"; or name a directory with the files ({spec.env_var})" if spec.env_var else ""
    hint_ko = f". 파일이 있는 폴더를 지정할 수도 있습니다 ({spec.env_var})" if spec.env_var else ""
    raise DataError(f"{file.name} of {spec.name} not found in {searched} and could not be "
                    f"downloaded: {'; '.join(failures)}{hint}",
                    ko=f"{missing['ko']}. 내려받지도 못했습니다: {'; '.join(failures)}{hint_ko}")


def _load_verified(path: Path, file: IdxFile) -> np.ndarray:
    content = read_idx_bytes(path)
    digest = sha256_of_content(content)
    if digest != file.sha256:
        raise DataError(f"{path}: SHA-256 of its content is {digest}, expected {file.sha256}: "
                        "the file is damaged or belongs to another data set",
                        ko=f"{path}: 내용의 SHA-256이 {digest}입니다. {file.sha256}이어야 합니다: "
                        "파일이 손상되었거나 다른 데이터셋의 파일입니다")
    return parse_idx(content, str(path))


def _check_pair(images_file: IdxFile, images: np.ndarray, labels_file: IdxFile, labels: np.ndarray) -> None:
    if images.ndim != 3 or images.dtype != np.uint8:
        raise DataError(f"{images_file.name}: expected uint8 images of shape (N, rows, cols), "
                        f"found {images.dtype} {images.shape}",
                        ko=f"{images_file.name}: 형상 (N, rows, cols)의 uint8 이미지여야 하는데 "
                        f"{images.dtype} {images.shape}입니다")
    if labels.ndim != 1 or labels.dtype != np.uint8 or labels.max(initial=0) >= N_CLASSES:
        raise DataError(f"{labels_file.name}: expected uint8 labels 0..9 of shape (N,), "
                        f"found {labels.dtype} {labels.shape}",
                        ko=f"{labels_file.name}: 형상 (N,)의 uint8 레이블 0..9여야 하는데 "
                        f"{labels.dtype} {labels.shape}입니다")
    if len(images) != len(labels):
        raise DataError(f"{images_file.name} has {len(images)} images but "
                        f"{labels_file.name} has {len(labels)} labels",
                        ko=f"{images_file.name}에는 이미지가 {len(images)}개인데 "
                        f"{labels_file.name}에는 레이블이 {len(labels)}개입니다")


def _prepare(images, labels, normalize, flatten, one_hot, dtype) -> Split:
    x = images.astype(dtype) / np.asarray(255, dtype) if normalize else images.copy()
    x = x.reshape(len(x), -1) if flatten else x.reshape(len(x), 1, *images.shape[1:])
    t = np.eye(N_CLASSES, dtype=dtype)[labels] if one_hot else labels.copy()
    return x, t
