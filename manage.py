#!/usr/bin/env python
"""Django's usual entry point; `pompolit` (the installed console script) is the same thing."""

from pompolit.cli import main

if __name__ == "__main__":
    main()
