"""`python build.py offline`: the site as a zip archive that works opened from the file system.

The build folder written by `prepare` is built a second time with a variant of its configuration:
Material's own `offline` plugin, and without what it is incompatible with (instant navigation,
versions), and with Material's own search instead of Pagefind, which does not work from `file://`
(`pagefind.py`). The plugin makes the links end in `index.html` and inlines the search index into a
script; search then runs in an iframe thanks to the `iframe-worker` shim, which the plugin would
load from unpkg.com: the copy installed by `npm ci` is served from the site instead, so that the
pages make no request to a third party.
"""

import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import yaml

from engine.build import pagefind
from engine.build.npm import NpmError, install_packages
from engine.build.site import ENGINE_ROOT, Layout, SiteError, build_into

SHIM = ENGINE_ROOT / "node_modules" / "iframe-worker" / "shim" / "index.js"
SHIM_ADDRESS = "assets/javascripts/iframe-worker.js"
"""Where the shim is in the offline site (the plugin recognises it by the words « iframe-worker »)."""
CONFIG = "mkdocs-hors-ligne.yml"
INCOMPATIBLE_FEATURES = ("navigation.instant",)


def offline_configuration(config: dict[str, Any]) -> dict[str, Any]:
    """The build's configuration, changed for a site read from the file system."""
    theme = config.get("theme", {})
    features = [feature for feature in theme.get("features", [])
                if not feature.startswith(INCOMPATIBLE_FEATURES)]
    extra = {key: value for key, value in config.get("extra", {}).items() if key not in ("version", "recherche")}
    excluded = "\n".join(filter(None, [config.get("exclude_docs"), f"/{pagefind.PAGE}"]))
    return {**config, "theme": {**theme, "features": features},
            "extra": {**extra, "polyfills": [SHIM_ADDRESS]}, "exclude_docs": excluded,
            "plugins": [*pagefind.search_plugin(config.get("plugins", []), enabled=True), "offline"]}


def zip_folder(folder: Path, archive: Path) -> None:
    """Write the files of `folder` into a zip archive, under a folder named after the archive."""
    partial = archive.with_name(f".{archive.name}.partiel")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                bundle.write(path, f"{archive.stem}/{path.relative_to(folder).as_posix()}")
    partial.replace(archive)


def install_shim(root: Path = ENGINE_ROOT) -> None:
    """Install the shim with `npm ci` the first time it is needed; a French SiteError if that cannot be done."""
    try:
        install_packages(root)
    except NpmError as error:
        raise SiteError(f"{error} (la recherche hors ligne a besoin du shim iframe-worker)") from None
    if not (root / SHIM.relative_to(ENGINE_ROOT)).is_file():
        raise SiteError(f"{SHIM.relative_to(ENGINE_ROOT).as_posix()} est absent : relancez « npm ci »")


def build_offline(layout: Layout, archive: Path) -> None:
    """Build the offline site from the build folder and write it as `archive`."""
    install_shim()
    config = yaml.safe_load(layout.config.read_text(encoding="utf-8"))
    variant = layout.build / CONFIG
    variant.write_text(yaml.safe_dump(offline_configuration(config), allow_unicode=True, sort_keys=False,
                                      width=1000), encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix=".hors-ligne-", dir=layout.build) as folder:
        site = Path(folder) / "site"
        used = build_into(layout, site, variant)
        # The plugin inlined the search index before it was made accent-insensitive: inline it again.
        used.plugins["material/offline"].on_post_build(config=used)
        pagefind.remove_source_maps(site)
        (site / SHIM_ADDRESS).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SHIM, site / SHIM_ADDRESS)
        archive.parent.mkdir(parents=True, exist_ok=True)
        zip_folder(site, archive)
