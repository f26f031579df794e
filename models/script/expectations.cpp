#include "script/expectations.h"

#include "text/displaytext.h"

#include <QCoreApplication>

namespace {
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(Expectations)
};
} // namespace

std::optional<Expectations> Expectations::fromPatterns(const QStringList &patterns, QString *error)
{
    Expectations e;
    for (const QString &pattern : patterns) {
        QRegularExpression re(pattern, QRegularExpression::DontCaptureOption);
        if (!re.isValid()) {
            if (error) {
                *error = Tr::tr("\"%1\" is not a regular expression: %2 at offset %3")
                             .arg(pattern, re.errorString())
                             .arg(re.patternErrorOffset());
            }
            return std::nullopt;
        }
        re.optimize();
        e.m_patterns << pattern;
        e.m_expressions << re;
    }
    return e;
}

QString Expectations::current() const
{
    return allMet() ? QString() : m_patterns.at(m_met);
}

bool Expectations::offer(bool binary, QByteArrayView payload)
{
    if (allMet())
        return false;
    const QString subject = binary ? QString::fromLatin1(payload.toByteArray().toHex(' ')) : QString::fromUtf8(payload);
    if (m_expressions.at(m_met).match(subject).hasMatch()) {
        ++m_met;
        m_instead.clear();
        m_insteadCount = 0;
        return true;
    }
    ++m_insteadCount;
    m_instead << (binary ? Tr::tr("binary %1").arg(DisplayText::line(payload.toByteArray().toHex(' '), 200))
                         : DisplayText::quoted(payload.toByteArray(), 200));
    if (m_instead.size() > MaxReported)
        m_instead.removeFirst();
    return false;
}

QString Expectations::failure(const QString &why) const
{
    if (allMet())
        return QString();
    return Tr::tr("expected #%1 of %2, /%3/, %4; %5").arg(m_met + 1).arg(m_patterns.size()).arg(current(), why, instead());
}

QString Expectations::insteadText(const QStringList &shown, qsizetype count)
{
    if (count == 0)
        return Tr::tr("nothing else was received");
    QString text = Tr::tr("received instead (%1): %2").arg(count).arg(shown.join(QStringLiteral(", ")));
    if (count > shown.size())
        text += Tr::tr(" (the last %1 shown)").arg(shown.size());
    return text;
}
