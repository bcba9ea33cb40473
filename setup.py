"""The build compiles the Polish catalogue into the wheel (the .mo files are not in git)."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogues(build_py):
    """Copy the package, then compile each lider/locale/*/LC_MESSAGES/*.po beside it with Babel
    (fuzzy entries left out, as `pybabel compile` does): a pip-installed Lider speaks Polish."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the source tree, compiled by `make messages`
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted(Path("lider/locale").glob("*/LC_MESSAGES/*.po")):
            mo = Path(self.build_lib) / po.with_suffix(".mo")
            mo.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as source:
                catalogue = read_po(source, locale=po.parts[-3])
            with mo.open("wb") as target:
                write_mo(target, catalogue)


setup(cmdclass={"build_py": BuildWithCatalogues})
