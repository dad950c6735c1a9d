"""One browser tab's process: `python -m coinloop.serve demo|play [options]` (see tab.py)."""

from coinloop.serve.tab import tab_main

if __name__ == "__main__":
    import sys

    tab_main(sys.argv[1:])
