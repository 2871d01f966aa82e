"""Run untrusted student code in a resource-limited child process and get plain arrays back."""
from graders.sandbox.limits import Limits
from graders.sandbox.runner import Probe, ProbeResult, SandboxRun, run_probes

__all__ = ["Limits", "Probe", "ProbeResult", "SandboxRun", "run_probes"]
