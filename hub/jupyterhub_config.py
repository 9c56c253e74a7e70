"""JupyterHub's configuration for `make hub` (python -m pivot.hub starts JupyterHub with it).

Every setting is made by pivot.hub.configure from the settings that `python -m pivot.hub` wrote
to $PIVOT_HUB_STATE/settings.json (ports, passwords, class folder, idle timeout); read that
function's code for what each one does and why.
"""

from pivot.hub import configure

configure(get_config())  # noqa: F821 - get_config is given by JupyterHub's config loader
