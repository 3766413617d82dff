"""Python.notebook (CTest): executes a notebook with `jupyter nbconvert --execute` and checks
that its cell tagged `phase-diagram` drew a figure (an image/png output).
usage: run_notebook.py NOTEBOOK OUT_DIR"""
import json
import subprocess
import sys
from pathlib import Path

notebook, out_dir = Path(sys.argv[1]), Path(sys.argv[2])
out_dir.mkdir(parents=True, exist_ok=True)
subprocess.run([sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.timeout=300", "--output-dir", str(out_dir), str(notebook)],
               check=True)
executed = json.loads((out_dir / notebook.name).read_text())
cells = [c for c in executed["cells"] if "phase-diagram" in c.get("metadata", {}).get("tags", [])]
assert len(cells) == 1, f"expected one cell tagged phase-diagram, found {len(cells)}"
images = [o for o in cells[0].get("outputs", []) if "image/png" in o.get("data", {})]
assert images, "the phase-diagram cell produced no figure"
errors = [o for c in executed["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
assert not errors, errors
print(f"{notebook.name}: executed, phase diagram drawn ({len(images)} figure)")
