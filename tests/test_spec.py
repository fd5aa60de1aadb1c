"""Test files are validated before anything runs; every problem names its line."""

import textwrap

import pytest

from app.testing.spec import SpecError, load


def write(tmp_path, text):
    path = tmp_path / "suite.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def test_a_full_file_reads(tmp_path):
    tf = load(write(tmp_path, """
        name: Forms
        setup:
          open: page.html
          screen: {width: 800, height: 600, scale: 1.5}
        tests:
          - name: saves
            timeout: 30
            steps:
              - click Save
              - do: type "x" into the Name field
                timeout: 5
              - expect: {text: Saved, no_text: Error, window: Forms}
              - expect: {file: {path: out.txt, contains: x}, command: {run: "true", exit_code: 0}}
              - expect: {image: {region: [0, 0, 10, 10], matches: ref.png, tolerance: 0.1}}
    """))
    assert tf.name == "Forms" and tf.setup.width == 800 and tf.setup.scale == 1.5
    steps = tf.tests[0].steps
    assert [s.do for s in steps[:2]] == ["click Save", 'type "x" into the Name field']
    assert steps[1].timeout == 5 and steps[0].line == 10  # the text starts with a blank line
    assert [e.kind for e in steps[2].expect] == ["text", "no_text", "window"]
    assert steps[4].expect[0].value == {"region": [0, 0, 10, 10], "matches": "ref.png", "tolerance": 0.1}
    assert tf.resolve("page.html") == (tmp_path / "page.html").resolve()


@pytest.mark.parametrize("body, line, problem", [
    ("tests: []\n", 1, "'tests' must be a non-empty list"),
    ("setup: {open: a.html}\n", 1, "missing 'tests'"),
    ("tests:\n  - name: a\n    stepz: []\n", 3, "unknown key 'stepz' in test #1"),
    ("tests:\n  - name: a\n    steps:\n      - expect: {txt: hi}\n", 4, "unknown key 'txt' in expect"),
    ("tests:\n  - name: a\n    steps:\n      - do: click\n        expect: {text: a}\n", 4, "either 'do'"),
    ("tests:\n  - name: a\n    steps:\n      - do: x\n        timeout: -3\n", 5, "must be positive"),
    ("setup: {open: a, launch: b}\ntests:\n  - steps: [click a]\n", 1, "not both"),
    ("tests:\n  - steps:\n      - expect: {image: {region: [5, 5, 1, 1], matches: a.png}}\n", 3,
     "region must be [x0, y0, x1, y1]"),
    ("tests:\n  - name: a\n    steps: [click a]\n  - name: a\n    steps: [click b]\n", 4, "two tests are called"),
    ("tests:\n  - name: a\n    steps: [click a\n", 4, "not valid YAML"),
    ("", 1, "the file is empty"),
])
def test_malformed_files_name_line_and_problem(tmp_path, body, line, problem):
    path = write(tmp_path, body)
    with pytest.raises(SpecError) as err:
        load(path)
    assert str(err.value).startswith(f"{path}:{line}: "), str(err.value)
    assert problem in str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(SpecError, match="no such test file"):
        load(tmp_path / "nope.yaml")
