"""The coverage report: which numbers of an article are found, and whether each is cited, waived or unaccounted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import build
from conftest import CONTENT, FIXTURES, sources_dir
from factsheet.coverage import check_coverage, find_numbers
from factsheet.model import ContentErrors

FIXTURE = FIXTURES / "coverage"
HINT = "(hint: cite it in a fact or milestone quote, or waive it in content/uncited.yaml with a reason)"


@pytest.mark.parametrize("text, expected", [
    # Arabic numbers: grouping, decimals, full-width digits, with 万/亿 and a unit as one expression.
    ("收入达到220.38亿元。", ["220.38亿元"]),
    ("常住人口1.2万人，投资1,000万元", ["1.2万人", "1,000万元"]),
    ("占比１２．５％", ["１２．５％"]),
    ("建筑面积约35万平方米、23.7平方公里", ["35万平方米", "23.7平方公里"]),
    # Percentages and multipliers.
    ("增长7%、占百分之八十，提高2个百分点，是上年的3倍", ["7%", "百分之八十", "2个百分点", "3倍"]),
    # Counts with a measure word, in Arabic or Chinese numerals, approximate or not.
    ("315个重点项目、6家企业、“提质争先七大行动”、6张民生名片", ["315个", "6家", "七大", "6张"]),
    ("20余个项目、十几套方案、几十家单位、2000多家企业、近120个小时", ["20余个", "十几套", "几十家", "2000多家", "120个小时"]),
    ("2条千亿级产业链、过亿元项目、50亿元、百亿元项目、不足百天、过百万社区",
     ["2条", "千亿级", "亿元", "50亿元", "百亿元", "百天", "百万"]),
    # Rankings.
    ("位居全市第一、全省首位、第3位，常年保持全市前三，居前10", ["全市第一", "全省首位", "第3位", "全市前三", "前10"]),
    ("我国首台激光雷达、首个生态社区、第二批示范片区、区域之一", ["我国首台", "首个", "第二批", "之一"]),
    # Dates, merged into one expression; ranges and products are one expression too.
    ("2024年3月20日召开，2023年9月底交付，3月底前完成", ["2024年3月20日", "2023年9月底", "3月底"]),
    ("上半年开工、一季度以来、三季度前、去年底到、年底前、2023年度计划", ["上半年", "一季度", "三季度", "去年底", "年底", "2023年度"]),
    ("力争三年任务、一年半完成，提前半年达到，用近4个月", ["三年", "一年半", "半年", "4个月"]),
    ("行动计划(2025—2027年)，每年解决2-3件，“7×24小时”服务", ["2025—2027年", "2-3件", "7×24小时"]),
    # Counts inside names are counted (and then cited or waived).
    ("“四新”经济、“两会时间”、“十四五”规划、地铁11号线", ["四", "两", "十四五", "11号"]),
    # Not figures: 一 as the indefinite article, in reduplications, lexicalised words and idioms; enumerations.
    ("推进一体化、统一规划、创一流、进一步、一批项目、一些企业、一起、一直、唯一、一切、一般公共预算", []),
    ("一个缩影、是一家数字化公司、一个个大项目、一批批成果、新一代信息技术、其一,我们、环境。一是以政策", []),
    ("两手抓、两不误，张村河两岸，焊花四溅、四处出击，长三角，十分有限，零部件、近零碳、零工之家", []),
    # Units and words that only look like numbers.
    ("万元GDP能耗下降，每万人高价值发明专利拥有量140件，万物滋荣，山东半岛，百里溪谷", ["140件"]),
    ("今年、去年、年内开工", []),
])
def test_find_numbers(text, expected):
    assert [found.text for found in find_numbers(text)] == expected


def test_find_numbers_across_lines_with_context():
    """White space is removed first, as for quotations: a figure broken over lines is one, at its first line."""
    text = "开头没有数字\n累计引进金融机构1177\n\n家，涵盖22类业态"
    found = find_numbers(text)
    assert [(f.text, f.line, f.start, f.end) for f in found] == [("1177家", 2, 14, 19), ("22类", 4, 22, 25)]
    assert found[0].before == "开头没有数字累计引进金融机构" and found[0].after == "，涵盖22类业态"
    assert found[0].context() == "开头没有数字累计引进金融机构[1177家]，涵盖22类业态"
    long = find_numbers("甲" * 20 + "5家" + "乙" * 20)[0]
    assert long.context() == "…" + "甲" * 15 + "[5家]" + "乙" * 15 + "…"


def copy_fixture(tmp_path: Path) -> Path:
    """Copy the coverage fixture into tmp and return it."""
    root = tmp_path / "coverage"
    shutil.copytree(FIXTURE, root)
    return root


def add_waivers(root: Path, text: str) -> None:
    """Append waiver entries to the fixture's uncited.yaml."""
    path = root / "content" / "uncited.yaml"
    path.write_text(path.read_text("utf-8") + text, "utf-8")


def test_fixture_classification_exact():
    coverage = check_coverage(FIXTURE / "content", FIXTURE / "sources")
    assert len(coverage.articles) == 1 and coverage.warnings == ()
    article = coverage.articles[0]
    assert (article.source, article.file) == ("a", "a.txt")
    assert [(n.expression.text, n.expression.line, n.status) for n in article.numbers] == [
        ("2023年", 3, "cited"),          # date, in the revenue fact's quote
        ("220.38亿元", 3, "cited"),      # decimal with 亿元 (一般 before it is a word, not a number)
        ("8.2%", 3, "unaccounted"),      # percentage no quote covers
        ("12.3%", 4, "cited"),
        ("全市第一", 4, "cited"),         # ranking
        ("3月20日", 5, "waived"),        # date of a meeting
        ("七大", 5, "unaccounted"),       # Chinese numeral count with a measure word (进一步 is not a number)
        ("上半年", 6, "cited"),
        ("33个", 6, "cited"),
        ("三年", 6, "waived"),
        ("一年半", 6, "waived"),
        ("607家", 7, "unaccounted"),     # broken over two lines; 统一 before it is a word
        ("3月", 8, "cited"),             # in a milestone's quote
        ("15家", 9, "waived"),           # not about Laoshan
        ("2020年", 9, "waived"),
        ("3倍", 9, "waived"),
    ]
    assert [n.by for n in article.numbers[:3]] == [("a-revenue",), ("a-revenue",), ()]
    assert article.numbers[5].by == ("content/uncited.yaml:2",)
    assert (article.count("cited"), article.count("waived"), article.count("unaccounted")) == (7, 6, 3)


def run(capsys, *args: str) -> tuple[int, str, str]:
    """Run build.py with `args`; return the exit status, stdout and stderr."""
    status = build.main(list(args))
    out = capsys.readouterr()
    return status, out.out, out.err


def test_report_lists_unaccounted_and_counts(capsys):
    status, out, err = run(capsys, "coverage", "--content", str(FIXTURE / "content"),
                           "--sources", str(FIXTURE / "sources"))
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert lines[:5] == [
        "a.txt",
        "     3  8.2%  …收入达到220.38亿元，增长[8.2%]。规上工业增加值增长12.3%…",
        "     5  七大  …召开大会，进一步部署“提质争先[七大]行动”。上半年新开工项目33个…",
        "     7  607家  …区统一布局，拥有科技型中小企业[607家]。创享中心项目预计今年3月部分…",
        "a: 16 numbers found, 7 cited, 6 waived, 3 unaccounted",
    ]
    assert lines[5].startswith("All articles: 16 numbers found, 7 cited, 6 waived, 3 unaccounted; 0 warnings in ")
    assert len(lines) == 6


def test_report_lists_all(capsys):
    status, out, _ = run(capsys, "coverage", "--content", str(FIXTURE / "content"),
                         "--sources", str(FIXTURE / "sources"), "--list", "all")
    assert status == 0
    lines = out.splitlines()
    assert len(lines) == 1 + 16 + 2
    assert lines[1] == "     3  2023年  崂山区：覆盖测试报道[2023年]，全区一般公共预算收入达到22…  (cited a-revenue)"
    assert lines[3].endswith("  (unaccounted)")
    assert lines[6] == "     5  3月20日  …增长12.3%、位居全市第一。[3月20日]，崂山区召开大会，进一步部署“…  (waived content/uncited.yaml:2)"


def test_strict_fails_with_located_errors(capsys):
    status, out, err = run(capsys, "coverage", "--content", str(FIXTURE / "content"),
                           "--sources", str(FIXTURE / "sources"), "--strict")
    assert status == 1
    assert "a: 16 numbers found, 7 cited, 6 waived, 3 unaccounted" in out
    path = FIXTURE / "sources" / "a.txt"
    assert err.splitlines() == [
        f"error: {path}:3: a: '8.2%' is neither cited nor waived: …收入达到220.38亿元，增长[8.2%]。规上工业增加值增长12.3%… {HINT}",
        f"error: {path}:5: a: '七大' is neither cited nor waived: …召开大会，进一步部署“提质争先[七大]行动”。上半年新开工项目33个… {HINT}",
        f"error: {path}:7: a: '607家' is neither cited nor waived: …区统一布局，拥有科技型中小企业[607家]。创享中心项目预计今年3月部分… {HINT}",
        "Failed: 3 error(s).",
    ]


def test_strict_passes_when_everything_is_accounted_for(tmp_path, capsys):
    root = copy_fixture(tmp_path)
    add_waivers(root, "  - source: a\n    quote: 增长8.2%\n    reason: growth of revenue, not needed here\n"
                      "  - source: a\n    quote: 提质争先七大行动\n    reason: part of a slogan name\n"
                      "  - source: a\n    quote: 拥有科技型中小企业607 家\n    reason: test of white space\n")
    status, out, err = run(capsys, "coverage", "--content", str(root / "content"), "--sources", str(root / "sources"),
                           "--strict")
    assert (status, err) == (0, "")
    assert "a: 16 numbers found, 7 cited, 9 waived, 0 unaccounted" in out


def test_without_sources_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        build.main(["coverage"])
    assert exc.value.code == 2
    assert "coverage needs --sources DIR, the folder of the article texts" in capsys.readouterr().err


def test_sources_not_a_folder_is_a_usage_error(tmp_path, capsys):
    """As for every command: a --sources path that is not a folder is a usage error."""
    with pytest.raises(SystemExit) as exc:
        build.main(["coverage", "--sources", str(tmp_path / "missing")])
    assert exc.value.code == 2
    assert f"--sources: {tmp_path / 'missing'} is not a folder" in capsys.readouterr().err


def test_missing_content_folder_is_a_located_error(tmp_path, capsys):
    status, out, err = run(capsys, "coverage", "--content", str(tmp_path / "nothing"),
                           "--sources", str(FIXTURE / "sources"))
    assert (status, out) == (1, "")
    assert err.splitlines() == [f"error: {tmp_path / 'nothing'}: content folder not found "
                                "(hint: pass the folder with --content DIR)", "Failed: 1 error(s)."]


def test_content_errors_reported_as_by_check(tmp_path, capsys):
    """The content is loaded, validated and linked first: its errors come as the other commands print them."""
    root = copy_fixture(tmp_path)
    facts = root / "content" / "facts" / "a.yaml"
    facts.write_text(facts.read_text("utf-8").replace("quote: 上半年新开工项目33个", "quote: 上半年新开工项目34个"),
                     "utf-8")
    status, out, err = run(capsys, "coverage", "--content", str(root / "content"), "--sources", str(root / "sources"))
    assert (status, out) == (1, "")
    assert err.splitlines()[0] == ("error: content/facts/a.yaml:23: a-new-projects.quote: not found verbatim in a.txt: "
                                   "'上半年新开工项目34个' (hint: copy the clause exactly from the article "
                                   "(only white space may differ))")


def test_waiver_not_found_is_a_located_error(tmp_path, capsys):
    root = copy_fixture(tmp_path)
    add_waivers(root, "  - source: a\n    quote: 崂山区召开了大会\n    reason: date of a meeting, not a milestone\n")
    status, out, err = run(capsys, "coverage", "--content", str(root / "content"), "--sources", str(root / "sources"))
    assert (status, out) == (1, "")
    assert err.splitlines() == [
        "error: content/uncited.yaml:11: uncited[3].quote: not found verbatim in a.txt: '崂山区召开了大会' "
        "(hint: copy the passage exactly from the article (only white space may differ))",
        "Failed: 1 error(s)."]


def test_duplicate_and_unknown_source_waivers_are_errors(tmp_path, capsys):
    root = copy_fixture(tmp_path)
    add_waivers(root, "  - source: a\n    quote: 3月20日， 崂山区召开大会\n    reason: the same passage again\n"
                      "  - source: b\n    quote: 3月20日\n    reason: no such source\n")
    status, _, err = run(capsys, "coverage", "--content", str(root / "content"), "--sources", str(root / "sources"))
    assert status == 1
    assert err.splitlines() == [
        "error: content/uncited.yaml:11: uncited[3].quote: duplicate waiver of the same passage of a.txt "
        "(hint: first at content/uncited.yaml:2; keep one, with one reason)",
        "error: content/uncited.yaml:14: uncited[4].source: unknown source 'b' (hint: source ids are in content/sources.yaml)",
        "Failed: 2 error(s)."]


def test_useless_waivers_warn_and_strict_fails(tmp_path, capsys):
    root = copy_fixture(tmp_path)
    add_waivers(root, "  - source: a\n    quote: 崂山区召开大会\n    reason: holds no number\n"
                      "  - source: a\n    quote: 规上工业增加值增长12.3%\n    reason: already cited\n")
    args = ["coverage", "--content", str(root / "content"), "--sources", str(root / "sources")]
    expected = [
        "content/uncited.yaml:11: uncited[3]: waiver covers nothing unaccounted; remove it "
        "(hint: its passage holds no number)",
        "content/uncited.yaml:14: uncited[4]: waiver covers nothing unaccounted; remove it "
        "(hint: every number in its passage is cited by a fact or milestone)"]
    status, out, err = run(capsys, *args)
    assert status == 0
    assert err.splitlines() == [f"warning: {line}" for line in expected]
    assert out.splitlines()[-1].startswith("All articles: 16 numbers found, 7 cited, 6 waived, 3 unaccounted; "
                                           "2 warnings in ")
    status, _, err = run(capsys, *args, "--strict")
    assert status == 1
    assert err.splitlines()[3:] == [f"error: {line}" for line in expected] + ["Failed: 5 error(s)."]


def test_waiver_fields_are_checked_like_every_record(tmp_path, capsys):
    root = copy_fixture(tmp_path)
    add_waivers(root, "  - source: a\n    quote: 3月\n    reasons: typo\n"
                      "  - source: a\n    quote: 3月\n    reason: |\n      two\n      lines\n")
    status, _, err = run(capsys, "coverage", "--content", str(root / "content"), "--sources", str(root / "sources"))
    assert status == 1
    assert err.splitlines() == [
        "error: content/uncited.yaml:11: uncited[3].reason: missing (hint: add 'reason:' to this item)",
        "error: content/uncited.yaml:13: uncited[3].reasons: unknown field (hint: did you mean 'reason'?)",
        "error: content/uncited.yaml:16: uncited[4].reason: holds a line break at character 4; write it on one line "
        "(hint: delete the character (retype the text if it was pasted); write line breaks only in Markdown pages)",
        "Failed: 3 error(s)."]


def test_unreadable_waivers_and_articles_are_located_errors(tmp_path, capsys):
    root = copy_fixture(tmp_path)
    (root / "content" / "uncited.yaml").write_text("uncited:\n  - source: a\n   quote: [\n", "utf-8")
    status, _, err = run(capsys, "coverage", "--content", str(root / "content"), "--sources", str(root / "sources"))
    assert status == 1
    assert err.splitlines()[0].startswith("error: content/uncited.yaml:3: invalid YAML: ")
    shutil.copy(FIXTURE / "content" / "uncited.yaml", root / "content" / "uncited.yaml")
    article = root / "sources" / "a.txt"
    article.write_bytes(article.read_bytes().replace("全区统一".encode(), b"\xff\xfe"))
    status, _, err = run(capsys, "coverage", "--content", str(root / "content"), "--sources", str(root / "sources"))
    assert status == 1
    lines = err.splitlines()
    assert lines[1:] == ["error: a.txt:7: the article is not valid UTF-8 (byte 0xff) (hint: save the article text as UTF-8)",
                         "Failed: 2 error(s)."]
    assert lines[0].startswith("error: content/sources.yaml:2: a.sha256: a.txt has sha256 ")


def test_waivers_do_not_change_the_site(tmp_path, capsys):
    """uncited.yaml is read and validated by every command, and the other commands accept it."""
    status, out, err = run(capsys, "check", "--content", str(FIXTURE / "content"), "--sources", str(FIXTURE / "sources"),
                           "--strict")
    assert (status, err) == (0, "")
    assert "Checked, 3 facts, 1 milestones, 0 warnings" in out


def test_real_content_coverage_runs(capsys):
    """The real content and articles: the report runs without error (numbers are not all accounted for yet)."""
    sources = sources_dir()
    try:
        coverage = check_coverage(CONTENT, sources)
    except ContentErrors as exc:  # pragma: no cover - shown on failure
        pytest.fail("\n".join(str(e) for e in exc.errors))
    assert [a.source for a in coverage.articles] == ["2022-04", "2023-03", "2024-02", "2024-03", "2025-03"]
    assert coverage.warnings == ()
    for article in coverage.articles:
        assert article.count("cited") > 0, article.source
        assert sum(article.count(s) for s in ("cited", "waived", "unaccounted")) == len(article.numbers)
        assert all(n.expression.line > 0 and n.expression.text for n in article.numbers)
    assert build.main(["coverage", "--sources", str(sources)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1].startswith("All articles: ")
