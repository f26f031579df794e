// Fuzz target for the test files of `wsinspector-cli --run` (models/script/testscript.h).
//
// Input: the file's text, as UTF-8 (invalid sequences become U+FFFD, as a text editor shows them).
//
// Checks: a refusal names a line of the file and starts "line N: "; accepted steps come in line
// order, each within its limits (a control frame's 125 bytes, a close code, milliseconds, a valid
// regular expression); the same file (without CRs of its own) with Windows line ends reads to the
// same steps.

#include "fuzzinput.h"
#include "script/testscript.h"

#include <QRegularExpression>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype lines = text.count(u'\n') + 1;
    TestScript::Problem problem;
    const auto script = TestScript::parse(text, &problem);
    if (!script) {
        FUZZ_CHECK(problem.line >= 1 && problem.line <= lines, problem.message);
        FUZZ_CHECK(problem.message.startsWith(QStringLiteral("line %1: ").arg(problem.line)), problem.message);
        return 0;
    }
    int previous = 0;
    for (const TestScript::Step &s : script->steps) {
        FUZZ_CHECK(s.line > previous && s.line <= lines, s.source);
        previous = s.line;
        switch (s.kind) {
        case TestScript::Step::Kind::Ping:
        case TestScript::Step::Kind::Pong:
            FUZZ_CHECK(s.bytes.size() <= 125, s.source);
            break;
        case TestScript::Step::Kind::Expect:
            FUZZ_CHECK(!s.pattern.isEmpty() && QRegularExpression(s.pattern).isValid(), s.source);
            break;
        case TestScript::Step::Kind::Wait:
            FUZZ_CHECK(s.number >= 0 && s.number <= 86'400'000, s.source);
            break;
        case TestScript::Step::Kind::Timeout:
            FUZZ_CHECK(s.number >= 1 && s.number <= 86'400'000, s.source);
            break;
        case TestScript::Step::Kind::Close:
            FUZZ_CHECK(s.number >= 0 && s.number <= 65535 && (s.number != 0 || !s.hasBytes), s.source);
            break;
        case TestScript::Step::Kind::ExpectClose:
            FUZZ_CHECK(s.number >= -1 && s.number <= 65535, s.source);
            break;
        default:
            break;
        }
    }
    if (text.contains(u'\r'))
        return 0; // CR already in the text: doubling line ends would put a CR inside a line
    QString crlf = text;
    crlf.replace(QStringLiteral("\n"), QStringLiteral("\r\n"));
    const auto again = TestScript::parse(crlf, &problem);
    FUZZ_CHECK(again && again->steps.size() == script->steps.size(), text);
    for (qsizetype i = 0; i < script->steps.size(); ++i) {
        const TestScript::Step &a = script->steps[i];
        const TestScript::Step &b = again->steps[i];
        FUZZ_CHECK(a.kind == b.kind && a.bytes == b.bytes && a.pattern == b.pattern && a.number == b.number
                && a.hasBytes == b.hasBytes && a.line == b.line,
            a.source);
    }
    return 0;
}
