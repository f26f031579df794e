#include "log/messagelogfilter.h"

#include "log/messagelogmodel.h"
#include "log/turnbudget.h"

#include <QElapsedTimer>

#include <algorithm>

MessageLogFilter::MessageLogFilter(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
    m_scanTimer.setInterval(0);
    connect(&m_scanTimer, &QTimer::timeout, this, &MessageLogFilter::scanSlice);
    // The proxy passes its source's resets on: rows are numbered anew (Clear, another session), so
    // what was computed for them no longer applies.
    connect(this, &QAbstractItemModel::modelAboutToBeReset, this, &MessageLogFilter::forgetMatches);
}

void MessageLogFilter::setSourceModel(QAbstractItemModel *model)
{
    if (m_log)
        m_log->disconnect(this);
    m_log = qobject_cast<MessageLogModel *>(model);
    Q_ASSERT_X(!model || m_log, "MessageLogFilter", "the source must be a MessageLogModel");
    QSortFilterProxyModel::setSourceModel(model);
    // The protocol on top was found or changed: a search also looks at what messages mean, so
    // judge every row again.
    if (m_log)
        connect(m_log, &MessageLogModel::decodingReset, this, [this] {
            if (!m_search.text.isEmpty() || m_scanTimer.isActive()) {
                const Search current = m_scanTimer.isActive() ? m_scanSearch : m_search;
                setSearch(current.text, current.mode);
            }
        });
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
    Search search;
    if (mode == SearchMode::RegularExpression && !text.isEmpty()) {
        search.regex = QRegularExpression(text, QRegularExpression::CaseInsensitiveOption);
        if (!search.regex.isValid()) {
            m_searchError = tr("invalid regular expression at offset %1: %2")
                                .arg(search.regex.patternErrorOffset())
                                .arg(search.regex.errorString());
            return false;
        }
    }
    m_searchError.clear();
    search.text = text;
    search.mode = mode;
    search.ascii = std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.unicode() < 0x80; });
    search.lowerUtf8 = text.toLower().toUtf8();
    m_scanTimer.stop();
    const int rows = m_log ? m_log->rowCount() : 0;
    const bool small = rows <= IncrementalRows && (!m_log || m_log->payloadBytes() <= IncrementalBytes);
    if (text.isEmpty() || small) {
        apply(std::move(search), {});
        return true;
    }
    m_scanSearch = std::move(search);
    m_scanMatches.assign(size_t(rows), false);
    m_scanNext = 0;
    m_scanTimer.start();
    Q_EMIT searchProgressed(0);
    return true;
}

int MessageLogFilter::searchProgress() const
{
    if (!isSearching() || m_scanMatches.empty())
        return 100;
    return int(qint64(m_scanNext) * 100 / qint64(m_scanMatches.size()));
}

void MessageLogFilter::scanSlice()
{
    if (!m_log) {
        m_scanTimer.stop();
        return;
    }
    const qint64 slice = TurnBudget::sliceNs(SliceMs * 1'000'000);
    QElapsedTimer clock;
    clock.start();
    const int rows = int(m_scanMatches.size());
    // Look at the clock every 256 rows or 1 MiB of payload, whichever comes first: often enough to
    // keep slices short (a regex over a 1 MiB message is a millisecond or more), rarely enough to be free.
    while (m_scanNext < rows && clock.nsecsElapsed() < slice) {
        const int stop = std::min(rows, m_scanNext + 256);
        qint64 bytes = 0;
        for (; m_scanNext < stop && bytes < (1 << 20); ++m_scanNext) {
            const WireEvent e = m_log->eventAt(m_scanNext);
            bytes += e.content().size();
            m_scanMatches[size_t(m_scanNext)] = rowMatches(m_scanSearch, m_scanNext, e);
        }
    }
    TurnBudget::spent(clock.nsecsElapsed());
    if (m_scanNext < rows) {
        Q_EMIT searchProgressed(searchProgress());
        return;
    }
    m_scanTimer.stop();
    apply(std::move(m_scanSearch), std::move(m_scanMatches));
}

void MessageLogFilter::apply(Search search, std::vector<bool> matches)
{
    m_search = std::move(search);
    m_matches = std::move(matches);
    invalidateRowsFilter();
    Q_EMIT searchFinished();
}

void MessageLogFilter::forgetMatches()
{
    m_matches.clear();
    if (m_scanTimer.isActive()) {
        // The reset that follows filters every new row with the search that was being computed.
        m_scanTimer.stop();
        m_scanMatches.clear();
        m_search = std::move(m_scanSearch);
        Q_EMIT searchFinished();
    }
}

bool MessageLogFilter::Search::matches(QByteArrayView payload) const
{
    if (mode == SearchMode::RegularExpression)
        return regex.match(QString::fromUtf8(payload)).hasMatch();
    if (ascii) {
        // ASCII needle: case-insensitive byte search, no decoding of (possibly huge) payloads.
        const qsizetype n = lowerUtf8.size();
        const char first = lowerUtf8[0];
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
                if (d != lowerUtf8[j])
                    break;
            }
            if (j == n)
                return true;
        }
        return false;
    }
    return QString::fromUtf8(payload).contains(text, Qt::CaseInsensitive);
}

bool MessageLogFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (!m_log || sourceParent.isValid() || sourceRow >= m_log->rowCount())
        return true;
    // Nothing filtered (the usual case during a flood): accept without decoding the event.
    if (m_directions == 0x7 && m_types.isEmpty() && m_search.text.isEmpty())
        return true;
    // A scan already judged this row: no need to read the event for the search alone.
    const bool judged = !m_search.text.isEmpty() && size_t(sourceRow) < m_matches.size();
    if (judged && !m_matches[size_t(sourceRow)])
        return false;
    if (judged && m_directions == 0x7 && m_types.isEmpty())
        return true;
    const WireEvent e = m_log->eventAt(sourceRow);
    if (!(m_directions & (1u << int(e.direction))))
        return false;
    if (!m_types.isEmpty() && !m_types.contains(MessageLogModel::typeName(e)))
        return false;
    if (!judged && !m_search.text.isEmpty() && !rowMatches(m_search, sourceRow, e))
        return false;
    return true;
}

bool MessageLogFilter::rowMatches(const Search &search, int row, const WireEvent &e) const
{
    if (search.matches(e.content()))
        return true;
    // What the message means in its protocol (Socket.IO's event name, a STOMP header, an MQTT
    // topic inside binary bytes) is searched too.
    ProtocolDecoding *decoding = m_log->decoding();
    if (!decoding || e.kind != EventKind::Frame)
        return false;
    decoding->catchUp(row); // the search must not depend on how far the decoding's batches got
    if (!decoding->isDecodable(row))
        return false;
    return search.matches(decoding->decodedAt(row).searchText().toUtf8());
}
