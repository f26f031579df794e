#include "probe/conformancereport.h"

#include "log/capture.h"
#include "log/textformatter.h"
#include "probe/conformancecatalogue.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Conformance;

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(ConformanceReport)
};

// Wire log lines kept per case in a report: enough for every case of sections 1 to 7 and 10 (the
// longest, 2.11 and 6.2.3, send about a hundred frames); a longer log says how much was left out.
constexpr qsizetype MaxLogEvents = 400;

bool ran(const CaseResult &r)
{
    return !r.id.isEmpty();
}

QString expectedText(const Case &c)
{
    if (c.workload)
        return c.expectation;
    QStringList outcomes;
    for (const auto &[verdict, events] : c.expected) {
        QStringList parts;
        for (const Event &e : events)
            parts << e.describe();
        outcomes << QStringLiteral("%1: [%2]").arg(verdictName(verdict), parts.join(QStringLiteral(", ")));
    }
    return outcomes.join(QStringLiteral("; "));
}

QString expectedCloseText(const Case &c)
{
    QStringList codes;
    for (quint16 code : c.close.codes)
        codes << QString::number(code);
    return Tr::tr("%1 closes first; peer's code %2 or none; %3")
        .arg(c.close.closedByTester ? Tr::tr("the tester") : Tr::tr("the peer"), codes.join(QStringLiteral(" or ")),
             c.close.requireClean ? Tr::tr("clean close required") : Tr::tr("dropping TCP allowed"));
}

QStringList wireLog(const ConformanceReport::Run &run, qsizetype index)
{
    Capture *capture = run.capture ? run.capture(index) : nullptr;
    if (!capture)
        return {};
    TextFormatter formatter;
    QStringList lines;
    const qsizetype count = capture->count();
    for (qsizetype i = 0; i < qMin(count, MaxLogEvents); ++i)
        lines << QString::fromUtf8(formatter.toText(capture->event(i))).trimmed();
    if (count > MaxLogEvents)
        lines << Tr::tr("… %1 more events not shown").arg(count - MaxLogEvents);
    return lines;
}

QString cssClass(Verdict v)
{
    switch (v) {
    case Verdict::Ok:
        return QStringLiteral("ok");
    case Verdict::NonStrict:
        return QStringLiteral("nonstrict");
    case Verdict::Failed:
        return QStringLiteral("failed");
    case Verdict::Informational:
        return QStringLiteral("info");
    case Verdict::Unimplemented:
        return QStringLiteral("unimpl");
    }
    return {};
}

QString closeCssClass(CloseVerdict v)
{
    return v == CloseVerdict::Ok ? QStringLiteral("ok") : v == CloseVerdict::Informational ? QStringLiteral("info") : QStringLiteral("failed");
}

QString h(const QString &text)
{
    return text.toHtmlEscaped();
}

QByteArray toJson(const ConformanceReport::Run &run)
{
    QJsonObject root;
    root.insert(QStringLiteral("tested"), run.role);
    root.insert(QStringLiteral("subject"), run.subject);
    root.insert(QStringLiteral("started"), run.started.toUTC().toString(Qt::ISODateWithMs));
    root.insert(QStringLiteral("durationMs"), run.durationMs);
    root.insert(QStringLiteral("summary"), ConformanceReport::summary(run));
    QJsonArray cases;
    for (qsizetype i = 0; i < run.cases.size(); ++i) {
        const Case &c = run.cases[i];
        const CaseResult &r = run.results.value(i);
        QJsonObject o = ran(r) ? r.toJson() : QJsonObject { { QStringLiteral("case"), c.id } };
        o.insert(QStringLiteral("description"), c.description);
        o.insert(QStringLiteral("expectation"), c.expectation);
        o.insert(QStringLiteral("expected"), expectedText(c));
        o.insert(QStringLiteral("expectedClose"), expectedCloseText(c));
        if (!ran(r))
            o.insert(QStringLiteral("behavior"), QStringLiteral("NOT RUN"));
        const QStringList log = wireLog(run, i);
        if (!log.isEmpty())
            o.insert(QStringLiteral("wireLog"), QJsonArray::fromStringList(log));
        cases.append(o);
    }
    root.insert(QStringLiteral("cases"), cases);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

QString markdownCell(QString text)
{
    return text.replace(QLatin1Char('|'), QLatin1String("\\|")).replace(QLatin1Char('\n'), QLatin1Char(' '));
}

QByteArray toMarkdown(const ConformanceReport::Run &run)
{
    QString out;
    out += Tr::tr("# WebSocket conformance: %1\n\n").arg(markdownCell(run.subject));
    out += Tr::tr("Tested: the %1. Started %2 UTC, took %3 s.\n\n")
               .arg(run.role, run.started.toUTC().toString(Qt::ISODate))
               .arg(run.durationMs / 1000.0, 0, 'f', 1);
    out += ConformanceReport::summary(run) + QStringLiteral("\n");
    QString section;
    for (qsizetype i = 0; i < run.cases.size(); ++i) {
        const Case &c = run.cases[i];
        if (c.section() != section) {
            section = c.section();
            out += QStringLiteral("\n## %1 %2\n\n").arg(section, ConformanceCatalogue::sectionTitle(section));
            out += Tr::tr("| Case | Behaviour | Close | Time | Result |\n|---|---|---|---|---|\n");
        }
        const CaseResult &r = run.results.value(i);
        if (!ran(r)) {
            out += QStringLiteral("| %1 | %2 | | | |\n").arg(c.id, Tr::tr("NOT RUN"));
            continue;
        }
        QString result = r.result;
        if (r.closeVerdict != CloseVerdict::Ok && r.closeVerdict != CloseVerdict::Informational)
            result += QLatin1Char(' ') + r.resultClose;
        out += QStringLiteral("| %1 | %2 | %3 | %4 ms | %5 |\n")
                   .arg(c.id, verdictName(r.verdict), closeVerdictName(r.closeVerdict))
                   .arg(r.seen.durationMs)
                   .arg(markdownCell(result));
    }
    return out.toUtf8();
}

const char *const HtmlStyle = R"(
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.5em}
table.matrix{border-collapse:collapse}
table.matrix td,table.matrix th{border:1px solid #ccc;padding:2px 8px;text-align:left}
td.ok{background:#0a0;color:#fff}td.nonstrict{background:#9c0}td.failed{background:#d00;color:#fff}
td.info{background:#ccc}td.unimpl{background:#6af}
a{color:inherit}
details{margin:.5em 0;border:1px solid #ddd;padding:.3em .6em}
summary{cursor:pointer;font-weight:600}
pre{background:#f6f6f6;padding:.5em;overflow-x:auto;font-size:12px;white-space:pre}
dt{font-weight:600}dd{margin:0 0 .4em 1em}
)";

// Opens the case a matrix link points at.
const char *const HtmlScript = R"(
function openCase(){var d=document.getElementById(decodeURIComponent(location.hash.slice(1)));if(d&&d.tagName==='DETAILS'){d.open=true;d.scrollIntoView();}}
window.addEventListener('hashchange',openCase);window.addEventListener('load',openCase);
)";

QByteArray toHtml(const ConformanceReport::Run &run)
{
    QString out;
    out += QStringLiteral("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%1</title><style>%2</style>"
                          "<script>%3</script></head><body>\n")
               .arg(h(Tr::tr("WebSocket conformance: %1").arg(run.subject)), QString::fromLatin1(HtmlStyle),
                    QString::fromLatin1(HtmlScript));
    out += QStringLiteral("<h1>%1</h1>\n").arg(h(Tr::tr("WebSocket conformance: %1").arg(run.subject)));
    out += QStringLiteral("<p>%1</p>\n<p>%2</p>\n")
               .arg(h(Tr::tr("Tested: the %1. Started %2 UTC, took %3 s.")
                          .arg(run.role, run.started.toUTC().toString(Qt::ISODate))
                          .arg(run.durationMs / 1000.0, 0, 'f', 1)),
                    h(ConformanceReport::summary(run)));
    // The matrix, section by section.
    QString section;
    for (qsizetype i = 0; i < run.cases.size(); ++i) {
        const Case &c = run.cases[i];
        if (c.section() != section) {
            if (!section.isEmpty())
                out += QStringLiteral("</table>\n");
            section = c.section();
            out += QStringLiteral("<h2>%1 %2</h2>\n<table class=\"matrix\"><tr><th>%3</th><th>%4</th><th>%5</th><th>%6</th></tr>\n")
                       .arg(h(section), h(ConformanceCatalogue::sectionTitle(section)), h(Tr::tr("Case")),
                            h(Tr::tr("Behaviour")), h(Tr::tr("Close")), h(Tr::tr("Time")));
        }
        const CaseResult &r = run.results.value(i);
        if (!ran(r)) {
            out += QStringLiteral("<tr><td>%1</td><td colspan=\"3\">%2</td></tr>\n").arg(h(c.id), h(Tr::tr("not run")));
            continue;
        }
        out += QStringLiteral("<tr><td><a href=\"#case-%1\">%1</a></td><td class=\"%2\">%3</td><td class=\"%4\">%5</td>"
                              "<td>%6 ms</td></tr>\n")
                   .arg(h(c.id), cssClass(r.verdict), h(verdictName(r.verdict)), closeCssClass(r.closeVerdict),
                        h(closeVerdictName(r.closeVerdict)))
                   .arg(r.seen.durationMs);
    }
    if (!section.isEmpty())
        out += QStringLiteral("</table>\n");

    out += QStringLiteral("<h2>%1</h2>\n").arg(h(Tr::tr("Cases")));
    for (qsizetype i = 0; i < run.cases.size(); ++i) {
        const Case &c = run.cases[i];
        const CaseResult &r = run.results.value(i);
        if (!ran(r))
            continue;
        out += QStringLiteral("<details id=\"case-%1\"><summary>%1 — %2 / %3</summary><dl>\n")
                   .arg(h(c.id), h(verdictName(r.verdict)), h(closeVerdictName(r.closeVerdict)));
        const std::pair<QString, QString> rows[] = {
            { Tr::tr("Description"), c.description },
            { Tr::tr("Expectation"), c.expectation },
            { Tr::tr("Expected events"), expectedText(c) },
            { Tr::tr("Expected close"), expectedCloseText(c) },
            { Tr::tr("Result"), r.result },
            { Tr::tr("Close"), r.resultClose },
        };
        for (const auto &[term, text] : rows)
            out += QStringLiteral("<dt>%1</dt><dd>%2</dd>\n").arg(h(term), h(text));
        out += QStringLiteral("</dl>\n");
        const QStringList log = wireLog(run, i);
        if (!log.isEmpty())
            out += QStringLiteral("<pre>%1</pre>\n").arg(h(log.join(QLatin1Char('\n'))));
        else if (c.workload)
            out += QStringLiteral("<p>%1</p>\n").arg(h(Tr::tr("The wire log of a timed case is not kept.")));
        out += QStringLiteral("</details>\n");
    }
    out += QStringLiteral("</body></html>\n");
    return out.toUtf8();
}

} // namespace

namespace ConformanceReport {

Totals totals(const Run &run)
{
    Totals t;
    for (qsizetype i = 0; i < run.cases.size(); ++i) {
        const CaseResult &r = run.results.value(i);
        if (!ran(r)) {
            ++t.notRun;
            continue;
        }
        switch (r.verdict) {
        case Verdict::Ok:
            ++t.ok;
            break;
        case Verdict::NonStrict:
            ++t.nonStrict;
            break;
        case Verdict::Failed:
            ++t.failed;
            break;
        case Verdict::Informational:
            ++t.informational;
            break;
        case Verdict::Unimplemented:
            ++t.unimplemented;
            break;
        }
        if (r.closeVerdict != CloseVerdict::Ok && r.closeVerdict != CloseVerdict::Informational)
            ++t.closeProblems;
    }
    return t;
}

QString summary(const Run &run)
{
    const Totals t = totals(run);
    QString text = Tr::tr("%n case(s): %1 OK, %2 NON-STRICT, %3 FAILED, %4 INFORMATIONAL, %5 UNIMPLEMENTED", nullptr,
                          int(run.cases.size()))
                       .arg(t.ok)
                       .arg(t.nonStrict)
                       .arg(t.failed)
                       .arg(t.informational)
                       .arg(t.unimplemented);
    if (t.closeProblems)
        text += Tr::tr("; %n with a close that was not OK", nullptr, t.closeProblems);
    if (t.notRun)
        text += Tr::tr("; %n not run", nullptr, t.notRun);
    return text;
}

std::optional<Format> formatForFileName(const QString &fileName)
{
    const QString lower = fileName.toLower();
    if (lower.endsWith(QLatin1String(".json")))
        return Format::Json;
    if (lower.endsWith(QLatin1String(".md")) || lower.endsWith(QLatin1String(".markdown")))
        return Format::Markdown;
    if (lower.endsWith(QLatin1String(".html")) || lower.endsWith(QLatin1String(".htm")))
        return Format::Html;
    return std::nullopt;
}

QByteArray write(const Run &run, Format format)
{
    switch (format) {
    case Format::Json:
        return toJson(run);
    case Format::Markdown:
        return toMarkdown(run);
    case Format::Html:
        return toHtml(run);
    }
    return {};
}

} // namespace ConformanceReport
