#!/usr/bin/env python3
"""scripts/testlist.py: comments dropped, selection by program name keeps
the list's arguments and timeouts, unknown names run as-is."""
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import testlist  # noqa: E402

LIST = """# comment
guest_print_test
timeout=60 dirty_log_test -i 4   # smaller than the default

demand_paging_test -v 1 -b 64M
"""

with tempfile.NamedTemporaryFile("w", suffix=".list", delete=False) as f:
    f.write(LIST)
lines = testlist.entries(f.name)
assert lines == ["guest_print_test", "timeout=60 dirty_log_test -i 4",
                 "demand_paging_test -v 1 -b 64M"], lines
assert testlist.select(lines, []) == lines
assert testlist.select(lines, ["dirty_log_test", "vgic_init"]) == [
    "timeout=60 dirty_log_test -i 4", "vgic_init"]
assert testlist.program("timeout=60 dirty_log_test -i 4") == "dirty_log_test"
print("ok")
