#include "script/messagediff.h"

#include "protocol/frame.h"
#include "text/displaytext.h"

#include <vector>

namespace {

// What is compared: the opcode and the payload, text with its ignored parts masked.
QByteArray comparable(const MessageDiff::Message &message, const QList<QRegularExpression> &ignore)
{
    QByteArray key(1, char(message.opcode));
    if (message.opcode != Opcode::Text || ignore.isEmpty())
        return key + message.payload;
    QString text = QString::fromUtf8(message.payload);
    for (const QRegularExpression &pattern : ignore)
        text.replace(pattern, QStringLiteral("…"));
    return key + text.toUtf8();
}

} // namespace

MessageDiff MessageDiff::compare(const QList<Message> &recorded, const QList<Message> &replayed,
                                 const QList<QRegularExpression> &ignore)
{
    QList<QByteArray> a, b;
    a.reserve(recorded.size());
    b.reserve(replayed.size());
    for (const Message &m : recorded)
        a << comparable(m, ignore);
    for (const Message &m : replayed)
        b << comparable(m, ignore);

    MessageDiff diff;
    // Common ends first: a replay that went as recorded costs nothing to align.
    qsizetype head = 0;
    while (head < a.size() && head < b.size() && a[head] == b[head])
        ++head;
    qsizetype tail = 0;
    while (tail < a.size() - head && tail < b.size() - head && a[a.size() - 1 - tail] == b[b.size() - 1 - tail])
        ++tail;
    const qsizetype n = a.size() - head - tail, m = b.size() - head - tail;

    // Pairs (recorded, replayed) that are the same, in order, within the middle part.
    QList<std::pair<qsizetype, qsizetype>> matches;
    if (n > 0 && m > 0 && n * m <= MaxAlignedCells) {
        // Longest common subsequence by dynamic programming over the middle, from its end.
        std::vector<quint32> table(std::size_t((n + 1) * (m + 1)), 0);
        const auto at = [&](qsizetype i, qsizetype j) -> quint32 & { return table[std::size_t(i * (m + 1) + j)]; };
        for (qsizetype i = n - 1; i >= 0; --i)
            for (qsizetype j = m - 1; j >= 0; --j)
                at(i, j) = a[head + i] == b[head + j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
        for (qsizetype i = 0, j = 0; i < n && j < m;) {
            if (a[head + i] == b[head + j]) {
                matches.append({ i, j });
                ++i;
                ++j;
            } else if (at(i + 1, j) >= at(i, j + 1)) {
                ++i;
            } else {
                ++j;
            }
        }
    } else if (n > 0 && m > 0) {
        diff.m_aligned = false;
        for (qsizetype i = 0; i < std::min(n, m); ++i)
            if (a[head + i] == b[head + i])
                matches.append({ i, i });
    }

    for (qsizetype i = 0; i < head; ++i)
        diff.m_rows.append({ Kind::Same, i, i });
    // Between two matches (and after the last), the unmatched of each side: paired, then left over.
    qsizetype i = 0, j = 0;
    const auto unmatchedUpTo = [&](qsizetype iEnd, qsizetype jEnd) {
        while (i < iEnd && j < jEnd)
            diff.m_rows.append({ Kind::Different, head + i++, head + j++ });
        while (i < iEnd)
            diff.m_rows.append({ Kind::Missing, head + i++, -1 });
        while (j < jEnd)
            diff.m_rows.append({ Kind::Extra, -1, head + j++ });
    };
    for (const auto &[mi, mj] : std::as_const(matches)) {
        unmatchedUpTo(mi, mj);
        diff.m_rows.append({ Kind::Same, head + i++, head + j++ });
    }
    unmatchedUpTo(n, m);
    for (qsizetype k = 0; k < tail; ++k)
        diff.m_rows.append({ Kind::Same, a.size() - tail + k, b.size() - tail + k });
    return diff;
}

qsizetype MessageDiff::count(Kind kind) const
{
    return std::count_if(m_rows.cbegin(), m_rows.cend(), [kind](const Row &row) { return row.kind == kind; });
}

QString MessageDiff::summary() const
{
    return tr("%1 the same, %2 different, %3 missing, %4 extra")
        .arg(count(Kind::Same))
        .arg(count(Kind::Different))
        .arg(count(Kind::Missing))
        .arg(count(Kind::Extra));
}

QString MessageDiff::kindKey(Kind kind)
{
    switch (kind) {
    case Kind::Same:
        return QStringLiteral("same");
    case Kind::Different:
        return QStringLiteral("different");
    case Kind::Missing:
        return QStringLiteral("missing");
    case Kind::Extra:
        return QStringLiteral("extra");
    }
    return {};
}

QString MessageDiff::shown(const Message &message, qsizetype maxChars)
{
    if (message.opcode == Opcode::Text)
        return DisplayText::quoted(message.payload, maxChars);
    return tr("binary %1").arg(DisplayText::line(message.payload.toHex(' '), maxChars));
}
