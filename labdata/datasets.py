"""The data sets load_mnist knows: their files, checksums, and where to look for them."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EMBEDDED_DIR = Path(__file__).parent / "mnist_10k"


@dataclass(frozen=True)
class IdxFile:
    """One IDX file of a data set and the SHA-256 of its decompressed content.

    Checksumming the content rather than the ``.gz`` lets the same entry verify an
    upstream download, Debian's re-compressed copy, and a user's unzipped file.
    """

    name: str
    sha256: str


@dataclass(frozen=True)
class Dataset:
    """A data set in the MNIST file layout."""

    name: str
    train_images: IdxFile
    train_labels: IdxFile
    test_images: IdxFile | None = None  # None: one file pair, split by ``train_size``
    test_labels: IdxFile | None = None
    train_size: int | None = None
    env_var: str | None = None  # names a directory that holds the files
    system_dirs: tuple[Path, ...] = ()  # searched before the cache, e.g. a Debian package
    urls: tuple[str, ...] = ()  # download mirrors, tried in order
    citation: str = ""

    @property
    def files(self) -> tuple[IdxFile, ...]:
        return tuple(f for f in (self.train_images, self.train_labels,
                                 self.test_images, self.test_labels) if f is not None)


MNIST_10K = Dataset(
    name="mnist-10k",
    train_images=IdxFile("images-idx3-ubyte.gz",
                         "9cec9a838743261824eeed1965ae7c6049e7d42ac072d5ed70df898b7b2ddf84"),
    train_labels=IdxFile("labels-idx1-ubyte.gz",
                         "5df116f85ee6caf392bf8d41cf6143959f8b68631711b0bb658ae79ecd8075d8"),
    train_size=8000,
    system_dirs=(EMBEDDED_DIR,),
    citation="10,000 MNIST digits (LeCun, Cortes, Burges; CC BY-SA 3.0), shipped with backprop-lab",
)

MNIST = Dataset(
    name="mnist",
    train_images=IdxFile("train-images-idx3-ubyte.gz",
                         "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
    train_labels=IdxFile("train-labels-idx1-ubyte.gz",
                         "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
    test_images=IdxFile("t10k-images-idx3-ubyte.gz",
                        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
    test_labels=IdxFile("t10k-labels-idx1-ubyte.gz",
                        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
    env_var="BACKPROP_LAB_MNIST_DIR",
    urls=("https://ossci-datasets.s3.amazonaws.com/mnist/",
          "https://storage.googleapis.com/cvdf-datasets/mnist/"),
    citation="MNIST (LeCun, Cortes, Burges), 60,000 training and 10,000 test digits",
)

FASHION_MNIST = Dataset(
    name="fashion-mnist",
    train_images=IdxFile("train-images-idx3-ubyte.gz",
                         "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
    train_labels=IdxFile("train-labels-idx1-ubyte.gz",
                         "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
    test_images=IdxFile("t10k-images-idx3-ubyte.gz",
                        "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
    test_labels=IdxFile("t10k-labels-idx1-ubyte.gz",
                        "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
    env_var="BACKPROP_LAB_FASHION_MNIST_DIR",
    system_dirs=(Path("/usr/share/datasets/fashion-mnist"),),  # Debian: dataset-fashion-mnist
    urls=("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",),
    citation="Fashion-MNIST (Xiao, Rasul, Vollgraf 2017; MIT licence)",
)

DATASETS: dict[str, Dataset] = {d.name: d for d in (MNIST_10K, MNIST, FASHION_MNIST)}
