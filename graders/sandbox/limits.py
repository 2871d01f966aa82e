"""Resource limits for the child process that runs student code."""
from __future__ import annotations

import resource
from dataclasses import dataclass

GiB, MiB, KiB = 1 << 30, 1 << 20, 1 << 10


@dataclass(frozen=True)
class Limits:
    """How much a submission may use. Wall-clock budgets are enforced by the parent,
    the rest by the kernel (setrlimit) in the child."""

    load_seconds: float = 20.0      # wall time to load the submission (imports, top-level code)
    submission_seconds: float = 90.0  # wall time for the whole submission, training runs' own budgets besides
    probe_seconds: float = 10.0     # wall time for one probe
    cpu_seconds: int = 120          # CPU time of one child process, all probes together
    memory_bytes: int = 4 * GiB     # address space
    file_bytes: int = 16 * MiB      # largest file the child may write; stdout and stderr are files too
    processes: int = 64             # processes of the sandbox user
    output_bytes: int = 64 * KiB    # stdout and stderr kept for the report

    def apply(self) -> None:
        """Set the kernel limits on the calling process (runs in the child before exec)."""
        cpu = max(1, int(self.cpu_seconds))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        resource.setrlimit(resource.RLIMIT_AS, (self.memory_bytes, self.memory_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (self.file_bytes, self.file_bytes))
        resource.setrlimit(resource.RLIMIT_NPROC, (self.processes, self.processes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
