"""The team folder: keys, sealed documents, the roster, and reading what others wrote.

Every module here imports pyrage and cryptography at the top; the command line imports this
package only inside the commands that need it, so other commands start without them.
"""
