#include "probe/conformancecatalogue.h"

#include "probe/conformancebuild.h"

#include <QHash>
#include <QRegularExpression>

using namespace Conformance;

namespace ConformanceCatalogue {

const QList<Case> &all()
{
    // Built once: section 6 alone is 145 cases, and the window and the CLI both ask often.
    static const QList<Case> cases = [] {
        QList<Case> list;
        list << Build::framing() << Build::pingPong() << Build::reservedBits() << Build::opcodes()
             << Build::fragmentation() << Build::utf8() << Build::closing() << Build::limits()
             << Build::autoFragmentation() << Build::compressionData() << Build::compressionParameters();
        return list;
    }();
    return cases;
}

QList<Case> select(const QStringList &patterns, QString *error)
{
    if (patterns.isEmpty())
        return all();
    QList<QRegularExpression> matchers;
    for (const QString &pattern : patterns) {
        // Only digits, dots and a trailing `*`: anything else is a typo, not a pattern.
        static const QRegularExpression shape(QStringLiteral("^\\d+(\\.\\d+)*(\\.\\*)?$|^\\*$"));
        if (!shape.match(pattern).hasMatch()) {
            if (error)
                *error = Build::Tr::tr("\"%1\" is not a case pattern (examples: 6.4.1, 6.4.*, 7.*)").arg(pattern);
            return {};
        }
        QString expression = QRegularExpression::escape(pattern);
        expression.replace(QLatin1String("\\*"), QLatin1String(".*"));
        matchers << QRegularExpression(QRegularExpression::anchoredPattern(expression));
    }
    QList<bool> used(matchers.size(), false);
    QList<Case> chosen;
    for (const Case &c : all()) {
        bool match = false;
        for (qsizetype i = 0; i < matchers.size(); ++i)
            if (matchers[i].match(c.id).hasMatch()) {
                used[i] = true;
                match = true;
            }
        if (match)
            chosen << c;
    }
    for (qsizetype i = 0; i < used.size(); ++i)
        if (!used[i]) {
            if (error)
                *error = Build::Tr::tr("no case matches \"%1\"").arg(patterns[i]);
            return {};
        }
    return chosen;
}

bool isPerformance(const Case &c)
{
    return c.workload.has_value();
}

QList<Case> forRun(const QStringList &patterns, bool withPerformance)
{
    QList<Case> cases;
    // Naming a timed section (9.*, 12.1.1) asks for it; a pattern that only happens to match it
    // ("*") does not.
    auto named = [&patterns](const Case &c) {
        const QString prefix = c.section() + QLatin1Char('.');
        return std::any_of(patterns.cbegin(), patterns.cend(), [&](const QString &p) { return p.startsWith(prefix); });
    };
    for (const Case &c : select(patterns))
        if (!isPerformance(c) || withPerformance || named(c))
            cases << c;
    return cases;
}

QString sectionTitle(const QString &section)
{
    static const QHash<QString, const char *> titles {
        { QStringLiteral("1"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Framing") },
        { QStringLiteral("2"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Pings and pongs") },
        { QStringLiteral("3"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Reserved bits") },
        { QStringLiteral("4"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Opcodes") },
        { QStringLiteral("5"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Fragmentation") },
        { QStringLiteral("6"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "UTF-8 handling") },
        { QStringLiteral("7"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Close handling") },
        { QStringLiteral("9"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Limits and performance") },
        { QStringLiteral("10"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Auto-fragmentation") },
        { QStringLiteral("12"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Compression: different data") },
        { QStringLiteral("13"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Compression: different parameters") },
    };
    const char *title = titles.value(section);
    return title ? Build::Tr::tr(title) : QString();
}

QString groupTitle(const QString &group)
{
    static const QHash<QString, const char *> titles {
        { QStringLiteral("1.1"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Text messages") },
        { QStringLiteral("1.2"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Binary messages") },
        { QStringLiteral("4.1"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Reserved data opcodes") },
        { QStringLiteral("4.2"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Reserved control opcodes") },
        { QStringLiteral("6.1"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Valid UTF-8 with empty fragments") },
        { QStringLiteral("6.2"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Valid UTF-8 split on and inside code points") },
        { QStringLiteral("6.3"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Invalid UTF-8, whole and split") },
        { QStringLiteral("6.4"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Failing fast on invalid UTF-8") },
        { QStringLiteral("7.1"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Frames around the close frame") },
        { QStringLiteral("7.3"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Close payload lengths") },
        { QStringLiteral("7.5"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Close reason that is not UTF-8") },
        { QStringLiteral("7.7"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Valid close codes") },
        { QStringLiteral("7.9"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Invalid close codes") },
        { QStringLiteral("7.13"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Close codes beyond the defined ranges") },
        { QStringLiteral("9.1"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Text messages of growing size") },
        { QStringLiteral("9.2"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Binary messages of growing size") },
        { QStringLiteral("9.3"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Fragmented text message, growing fragments") },
        { QStringLiteral("9.4"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Fragmented binary message, growing fragments") },
        { QStringLiteral("9.5"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Text message in growing TCP pieces") },
        { QStringLiteral("9.6"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Binary message in growing TCP pieces") },
        { QStringLiteral("9.7"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Text round trips, growing size") },
        { QStringLiteral("9.8"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Binary round trips, growing size") },
        { QStringLiteral("10.1"), QT_TRANSLATE_NOOP("ConformanceCatalogue", "Auto-fragmentation") },
    };
    if (const char *title = titles.value(group))
        return Build::Tr::tr(title);
    if (group.startsWith(QLatin1String("6.")))
        return Build::utf8GroupTitle(group.mid(2).toInt());
    if (group.startsWith(QLatin1String("12.")) || group.startsWith(QLatin1String("13.")))
        return Build::compressionGroupTitle(group);
    return sectionTitle(group);
}

QStringList parsePatterns(const QString &text)
{
    QStringList patterns;
    for (const QString &item : text.split(QLatin1Char(',')))
        if (const QString pattern = item.trimmed(); !pattern.isEmpty())
            patterns << pattern;
    return patterns;
}

const Case *byId(const QString &id)
{
    static const QHash<QString, qsizetype> index = [] {
        QHash<QString, qsizetype> h;
        for (qsizetype i = 0; i < all().size(); ++i)
            h.insert(all()[i].id, i);
        return h;
    }();
    const auto it = index.constFind(id);
    return it == index.constEnd() ? nullptr : &all()[*it];
}

} // namespace ConformanceCatalogue
