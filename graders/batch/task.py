"""The unit of work sent to a worker process or a Dask worker: grade one submission, return plain data."""
from __future__ import annotations

from typing import Any


def grade_one(path: str | list[str], settings: dict[str, Any], digest: str | None = None) -> dict[str, Any]:
    """The JSON report and the Gradescope results of one submission; an error line if it cannot be graded.

    Only plain data crosses back (a dict of JSON values), so the result can come from another
    process or another machine; the grading itself runs in the sandbox on the worker.
    """
    from threadpoolctl import threadpool_limits

    from graders.checker import check_submission
    from graders.config import ConfigError, config_from_document
    from graders.messages import say
    from graders.report.gradescope import to_gradescope
    from graders.report.json_report import to_json
    from graders.submission import SubmissionError
    from graders.training.settings import settings_from
    from labdata import DataError, LabError
    threadpool_limits(limits=1, user_api="blas")  # one thread per worker: the workers already fill the cores
    lang = settings.get("lang", "en")
    try:
        config = config_from_document(settings["config"], validate=False)  # validated by the command
        training = settings_from(config.raw, dataset=settings.get("data"), iters=settings.get("iters")) \
            if settings.get("train") else None
        report = check_submission(path, lang=lang, config=config, training=training,
                                  digest=digest)
    except (SubmissionError, ConfigError, DataError, ValueError) as exc:
        return {"status": "error", "error": exc.text(lang) if isinstance(exc, LabError) else str(exc)}
    except Exception as exc:  # the grader's own failure on this submission: it alone is not graded, the class goes on
        return {"status": "error", "error": say(lang, "grader_failed", error=f"{type(exc).__name__}: {str(exc)[:300]}")}
    return {"status": "graded", "report": to_json(report), "gradescope": to_gradescope(report)}
