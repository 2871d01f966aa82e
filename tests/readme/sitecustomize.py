"""Imported at start-up by the backprop-lab processes tests/test_readme_commands.py starts (it puts this folder on
their PYTHONPATH); does nothing unless ``BACKPROP_LAB_TEST_CHECKSUMS`` names a JSON file.

labdata checks every file of MNIST and Fashion-MNIST against the SHA-256 of the real data set, which a test cannot
download. The JSON maps a data set's name to the SHA-256 of the small stand-in files the test wrote, one per
file name; they replace the real checksums in ``labdata.datasets.DATASETS``. Everything else (where the files are
looked for, how they are read and checked) is labdata's own code, run as the user's command runs it.
"""
import os

if os.environ.get("BACKPROP_LAB_TEST_CHECKSUMS"):
    import dataclasses
    import json

    from labdata import datasets as _datasets

    with open(os.environ["BACKPROP_LAB_TEST_CHECKSUMS"], encoding="utf-8") as _file:
        _checksums = json.load(_file)
    for _name, _files in _checksums.items():
        _spec = _datasets.DATASETS[_name]
        _changes = {field: _datasets.IdxFile(getattr(_spec, field).name, _files[getattr(_spec, field).name])
                    for field in ("train_images", "train_labels", "test_images", "test_labels")
                    if getattr(_spec, field) is not None}
        _datasets.DATASETS[_name] = dataclasses.replace(_spec, **_changes)
