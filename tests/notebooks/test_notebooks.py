"""Every notebook runs top to bottom (at a reduced size) without error, and is stored without outputs."""
import os
import pathlib
import tempfile

import nbformat
import pytest
from nbclient import NotebookClient
from traitlets.config import Config

ROOT = pathlib.Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_the_teaching_and_research_notebooks():
    names = {path.stem for path in NOTEBOOKS}
    assert {"balance_frontier", "uber_subsidy", "cx_annuity_and_jenga", "word_of_mouth", "costco_membership",
            "research"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, f"{path.name} is stored with outputs"
    os.environ.setdefault("FULCRUM_NOTEBOOK_SCALE", "0.1")
    # The kernel talks over Unix sockets in a directory of its own, not TCP ports: jupyter_client picks a
    # free port and the kernel binds it a moment later, and a test running beside this one (MPI sweeps
    # open ports too) can take it in between ("Address already in use"; the kernel dies and the client
    # waits out its start-up timeout). A short directory, as a socket path has a limit of about 100 bytes.
    with tempfile.TemporaryDirectory(prefix="fulcrum-nb-") as sockets:
        config = Config()
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = os.path.join(sockets, "kernel")
        client = NotebookClient(notebook, timeout=600, kernel_name="python3", config=config,
                                resources={"metadata": {"path": str(path.parent)}})
        client.execute()
