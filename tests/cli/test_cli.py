"""The backprop-lab command as a user runs it: real processes, exit codes, one-line errors."""
import json
import subprocess
import sys


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "backprop_lab", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def test_graph_prints_both_examples():
    result = run("graph")
    assert result.returncode == 0, result.stderr
    for value in ("715", "650", "165", "3.3", "220", "200"):
        assert value in result.stdout


def test_train_writes_history_and_curve(tmp_path):
    result = run("train", "--iters", "100", "--out", str(tmp_path / "run"))
    assert result.returncode == 0, result.stderr
    history = json.loads((tmp_path / "run" / "history.json").read_text())
    assert history["config"]["iters"] == 100
    assert (tmp_path / "run" / "learning_curve.png").stat().st_size > 10_000
    assert "test accuracy" in result.stdout


def test_train_with_a_missing_data_directory_is_one_line_and_exit_2(tmp_path):
    result = run("train", "--data", "mnist", "--data-dir", str(tmp_path / "nowhere"), "--iters", "1")
    assert result.returncode == 2
    assert result.stderr.startswith("error: train-images-idx3-ubyte.gz of mnist not found in ")
    assert result.stderr.count("\n") == 1


def test_bad_option_is_a_usage_error():
    result = run("train", "--iters", "0")
    assert result.returncode == 2
    assert "must be a positive integer, not 0" in result.stderr


def test_derive_check_proves_everything_through_the_main_command():
    result = run("derive", "--check")
    assert result.returncode == 0, result.stdout[-2000:]
    assert "0 failed" in result.stdout.splitlines()[-1]


def test_output_into_a_closed_pipe_is_not_a_traceback():
    pipe = subprocess.Popen([sys.executable, "-m", "backprop_lab", "graph"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    pipe.stdout.close()  # like `backprop-lab graph | head -0`
    pipe.wait(timeout=60)  # rich exits 1 on a broken pipe, as SIGPIPE would end a C program
    assert pipe.stderr.read() == b""


def test_assignment_commands_say_when_the_nbgrader_extra_is_missing(monkeypatch, capsys):
    import importlib.util

    from backprop_lab import cli
    real = importlib.util.find_spec
    monkeypatch.setattr(cli.importlib.util, "find_spec", lambda name, *a: None if name == "nbgrader" else real(name, *a))
    assert cli.main(["autograde", "course"]) == 2
    assert capsys.readouterr().err == ("error: 'backprop-lab autograde' needs nbgrader: "
                                       "pip install 'backprop-lab[assignments]'\n")


def test_check_only_takes_the_book_scripts_too(tmp_path, capsys):
    from backprop_lab.cli import main
    assert main(["check", str(tmp_path / "missing.py"), "--only", "book_scripts,Relu"]) == 2
    assert "no such file" in capsys.readouterr().err  # the component list was accepted


def test_a_failure_of_backprop_labs_own_is_one_line_and_exit_3(monkeypatch, capsys):
    from backprop_lab import cli

    def broken(*args, **kwargs):
        raise TypeError("only 0-dimensional arrays can be converted to Python scalars")
    monkeypatch.setattr("graders.check_command.check_command", broken)
    assert cli.main(["check", "hw5.py"]) == 3
    err = capsys.readouterr().err
    assert err == ("error: backprop-lab failed: TypeError: only 0-dimensional arrays can be converted to Python "
                   "scalars (a bug of backprop-lab's; BACKPROP_LAB_DEBUG=1 shows where)\n")
