#include "log/messagelogfilter.h"

#include "log/messagelogmodel.h"

#include <algorithm>

MessageLogFilter::MessageLogFilter(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
}

void MessageLogFilter::setSourceModel(QAbstractItemModel *model)
{
    m_log = qobject_cast<MessageLogModel *>(model);
    Q_ASSERT_X(!model || m_log, "MessageLogFilter", "the source must be a MessageLogModel");
    QSortFilterProxyModel::setSourceModel(model);
}

void MessageLogFilter::setDirectionVisible(int direction, bool visible)
{
    const quint8 bit = quint8(1u << direction);
    const quint8 next = visible ? (m_directions | bit) : (m_directions & ~bit);
    if (next == m_directions)
        return;
    m_directions = next;
    invalidateRowsFilter();
}

bool MessageLogFilter::isDirectionVisible(int direction) const
{
    return m_directions & (1u << direction);
}

void MessageLogFilter::setVisibleTypes(const QSet<QString> &types)
{
    if (types == m_types)
        return;
    m_types = types;
    invalidateRowsFilter();
}

bool MessageLogFilter::setSearch(const QString &text, SearchMode mode)
{
    if (mode == SearchMode::RegularExpression && !text.isEmpty()) {
        QRegularExpression regex(text, QRegularExpression::CaseInsensitiveOption);
        if (!regex.isValid()) {
            m_searchError = QStringLiteral("invalid regular expression at offset %1: %2")
                                .arg(regex.patternErrorOffset())
                                .arg(regex.errorString());
            return false;
        }
        m_regex = regex;
    }
    m_searchError.clear();
    m_search = text;
    m_mode = mode;
    m_searchIsAscii = std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.unicode() < 0x80; });
    m_searchLowerUtf8 = text.toLower().toUtf8();
    invalidateRowsFilter();
    return true;
}

bool MessageLogFilter::payloadMatches(QByteArrayView payload) const
{
    if (m_mode == SearchMode::RegularExpression)
        return m_regex.match(QString::fromUtf8(payload)).hasMatch();
    if (m_searchIsAscii) {
        // ASCII needle: case-insensitive byte search, no decoding of (possibly huge) payloads.
        const qsizetype n = m_searchLowerUtf8.size();
        const char first = m_searchLowerUtf8[0];
        for (qsizetype i = 0; i + n <= payload.size(); ++i) {
            char c = payload[i];
            if (c >= 'A' && c <= 'Z')
                c = char(c + 32);
            if (c != first)
                continue;
            qsizetype j = 1;
            for (; j < n; ++j) {
                char d = payload[i + j];
                if (d >= 'A' && d <= 'Z')
                    d = char(d + 32);
                if (d != m_searchLowerUtf8[j])
                    break;
            }
            if (j == n)
                return true;
        }
        return false;
    }
    return QString::fromUtf8(payload).contains(m_search, Qt::CaseInsensitive);
}

bool MessageLogFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (!m_log || sourceParent.isValid() || sourceRow >= m_log->rowCount())
        return true;
    // Nothing filtered (the usual case during a flood): accept without decoding the event.
    if (m_directions == 0x7 && m_types.isEmpty() && m_search.isEmpty())
        return true;
    const WireEvent e = m_log->eventAt(sourceRow);
    if (!(m_directions & (1u << int(e.direction))))
        return false;
    if (!m_types.isEmpty() && !m_types.contains(MessageLogModel::typeName(e)))
        return false;
    if (!m_search.isEmpty() && !payloadMatches(e.payload))
        return false;
    return true;
}
