#include "log/timelinemodel.h"

#include "log/apicall.h"
#include "log/interceptnote.h"

#include "log/payloadpreview.h"
#include "log/turnbudget.h"
#include "protocol/closecodes.h"
#include "text/displaytext.h"
#include "text/sizeformat.h"

#include <QElapsedTimer>

#include <algorithm>
#include <bit>

namespace {
// Events taken in between two looks at the clock while working off a backlog (about 0.3 ms).
constexpr qsizetype IngestSlice = 2048;
// A backlog is worked off in slices of about this long, one a turn of the event loop. Within a
// frame of 16 ms the log's batch (about 6 ms) and a repaint come too, so this stays well apart
// from them: at 12 ms the three together stalled the window for up to 22 ms during a flood.
constexpr qint64 IngestBudgetMs = 4;
constexpr qsizetype MaxTextChars = 300;

int dirIndex(Direction d)
{
    return d == Direction::Outgoing ? 1 : 0;
}

QString plainLine(QByteArrayView bytes)
{
    return DisplayText::line(bytes, MaxTextChars);
}

QString firstLine(QByteArrayView bytes)
{
    return PayloadPreview::firstLine(bytes, MaxTextChars);
}

QString closeText(bool hasCode, quint16 code, const QString &reason)
{
    if (!hasCode)
        return TimelineModel::tr("no status code");
    QString text = CloseCodes::label(code);
    if (!reason.isEmpty())
        text += QStringLiteral(" \"%1\"").arg(reason);
    return text;
}

int httpStatus(const QString &statusLine)
{
    // "HTTP/1.1 101 Switching Protocols"
    const QStringList parts = statusLine.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (parts.size() < 2 || !parts.at(0).startsWith(QLatin1String("HTTP/")))
        return 0;
    bool ok = false;
    const int status = parts.at(1).toInt(&ok);
    return ok ? status : 0;
}
} // namespace

// --- labels ------------------------------------------------------------------------------------

TimelineLane::Type TimelineLane::typeOf(quint8 opcode)
{
    switch (opcode) {
    case Opcode::Text:
        return Text;
    case Opcode::Binary:
        return Binary;
    case Opcode::Continuation:
        return Continuation;
    case Opcode::Ping:
        return Ping;
    case Opcode::Pong:
        return Pong;
    default:
        return Other;
    }
}

QString ClosingSummary::initiatorText() const
{
    switch (initiator) {
    case Initiator::Client:
        return TimelineModel::tr("client closed first");
    case Initiator::Server:
        return TimelineModel::tr("server closed first");
    case Initiator::None:
        break;
    }
    return TimelineModel::tr("no closing handshake");
}

QString ClosingSummary::text() const
{
    QString out;
    if (initiator == Initiator::None) {
        if (!isClosed())
            return TimelineModel::tr("no close frame yet");
        out = TimelineModel::tr("no closing handshake");
    } else {
        const bool client = initiator == Initiator::Client;
        out = initiatorText() + QStringLiteral(": ") + (client ? QStringLiteral("→ ") : QStringLiteral("← "))
            + closeText(firstHasCode, firstCode, firstReason);
        if (replyIndex >= 0)
            out += (client ? QStringLiteral(", ← ") : QStringLiteral(", → "))
                + closeText(replyHasCode, replyCode, replyReason);
        else
            out += TimelineModel::tr(", no reply");
    }
    if (!isClosed())
        return out;
    if (wasClean) {
        out += TimelineModel::tr("; clean");
        if (handshakeUs >= 0)
            out += QStringLiteral(", ") + TimelineModel::formatDuration(handshakeUs);
    } else {
        out += TimelineModel::tr("; closed %1, not clean").arg(CloseCodes::label(finalCode));
    }
    return out;
}

QString TimelineModel::formatDuration(qint64 us)
{
    us = qMax<qint64>(0, us);
    if (us < 1000)
        return tr("%1 µs").arg(us);
    const double ms = double(us) / 1000.0;
    if (us < 10'000)
        return tr("%1 ms").arg(ms, 0, 'f', 2);
    if (us < 100'000)
        return tr("%1 ms").arg(ms, 0, 'f', 1);
    if (us < 1'000'000)
        return tr("%1 ms").arg(ms, 0, 'f', 0);
    const double s = ms / 1000.0;
    if (us < 10'000'000)
        return tr("%1 s").arg(s, 0, 'f', 2);
    if (us < 60'000'000)
        return tr("%1 s").arg(s, 0, 'f', 1);
    const qint64 seconds = us / 1'000'000;
    if (seconds < 3600)
        return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
}

QString TimelineModel::typeName(TimelineLane::Type type)
{
    switch (type) {
    case TimelineLane::Text:
        return QStringLiteral("text");
    case TimelineLane::Binary:
        return QStringLiteral("binary");
    case TimelineLane::Continuation:
        return QStringLiteral("continuation");
    case TimelineLane::Ping:
        return QStringLiteral("ping");
    case TimelineLane::Pong:
        return QStringLiteral("pong");
    case TimelineLane::Other:
    case TimelineLane::TypeCount:
        break;
    }
    return QStringLiteral("reserved");
}

FragmentPart TimelineModel::fragmentPart(quint8 opcode, bool fin)
{
    if (opcode == Opcode::Continuation)
        return fin ? FragmentPart::Last : FragmentPart::Middle;
    return fin ? FragmentPart::Whole : FragmentPart::First;
}

QString TimelineModel::laneLabel(const TimelineLane &lane)
{
    if (lane.count == 0)
        return QString();
    if (lane.count == 1) {
        QString text = lane.byType[TimelineLane::Other] ? Opcode::name(lane.opcode)
                                                        : typeName(TimelineLane::typeOf(lane.opcode));
        text += QStringLiteral(", ") + SizeFormat::compact(lane.bytes);
        if (!Opcode::isControl(lane.opcode)) {
            switch (fragmentPart(lane.opcode, lane.fin)) {
            case FragmentPart::Whole:
                break;
            case FragmentPart::First:
                text += tr(", first fragment");
                break;
            case FragmentPart::Middle:
                text += tr(", fragment");
                break;
            case FragmentPart::Last:
                text += tr(", last fragment");
                break;
            }
        } else if (!lane.fin) {
            text += tr(", no FIN");
        }
        if (lane.sincePreviousUs >= 0)
            text += QStringLiteral(", +") + formatDuration(lane.sincePreviousUs);
        return text;
    }
    int kinds = 0;
    int only = 0;
    for (int t = 0; t < TimelineLane::TypeCount; ++t) {
        if (lane.byType[t]) {
            ++kinds;
            only = t;
        }
    }
    QString text;
    if (kinds == 1) {
        text = tr("%1 %2 frames").arg(lane.count).arg(typeName(TimelineLane::Type(only)));
    } else {
        QStringList mix;
        for (int t = 0; t < TimelineLane::TypeCount; ++t) {
            if (lane.byType[t])
                mix << QStringLiteral("%1 %2").arg(lane.byType[t]).arg(typeName(TimelineLane::Type(t)));
        }
        text = tr("%1 frames (%2)").arg(lane.count).arg(mix.join(QStringLiteral(", ")));
    }
    return text + QStringLiteral(", ") + SizeFormat::compact(lane.bytes) + QStringLiteral(", ")
        + formatDuration(lane.durationUs());
}

QString TimelineModel::relayDelayLabel(qint32 relayDelayUs)
{
    if (relayDelayUs == WireEvent::RelayHeld)
        return tr("held by the relay");
    if (relayDelayUs < 0)
        return QString();
    return tr("relayed in %1").arg(formatDuration(relayDelayUs));
}

QString TimelineModel::pingPongLabel(const PingPong &pair, bool connectionClosed)
{
    switch (pair.status) {
    case PingPong::Status::Answered:
        return tr("RTT %1").arg(formatDuration(pair.rttUs));
    case PingPong::Status::Unanswered:
        return connectionClosed ? tr("never answered") : tr("no pong yet");
    case PingPong::Status::Superseded:
        return tr("no pong (a later ping was answered)");
    case PingPong::Status::Unsolicited:
        return tr("unsolicited pong");
    case PingPong::Status::NotControl:
        break;
    }
    return QString();
}

QString TimelineModel::itemLabel(const TimelineItem &item) const
{
    switch (item.kind) {
    case TimelineItem::Kind::Frames: {
        QStringList parts;
        for (const TimelineLane &lane : item.lanes) {
            if (!lane.isEmpty())
                parts << laneLabel(lane);
        }
        return parts.join(QStringLiteral("; "));
    }
    case TimelineItem::Kind::HandshakeRequest:
    case TimelineItem::Kind::HandshakeResponse:
        return item.text + QStringLiteral(", ") + SizeFormat::compact(item.size);
    case TimelineItem::Kind::CloseFrame:
        return tr("close %1").arg(closeText(item.hasCode, item.code, item.text));
    case TimelineItem::Kind::State:
        if (item.state == ReadyState::Closed) {
            QString text = QStringLiteral("CLOSED, %1, %2")
                               .arg(CloseCodes::label(item.code), item.wasClean ? tr("clean") : tr("not clean"));
            // The initiator belongs to this connection's one closing handshake.
            if (item.first == m_closing.closedIndex)
                text += QStringLiteral(", ") + m_closing.initiatorText();
            return text;
        }
        return item.text.isEmpty() ? readyStateName(item.state) : item.text;
    case TimelineItem::Kind::Violation: {
        QString text = Violation::ruleId(item.rule) + QStringLiteral(" (") + Violation::rfcReference(item.rule)
            + QLatin1Char(')');
        if (item.code)
            text += QStringLiteral(" → ") + CloseCodes::label(item.code);
        if (!item.text.isEmpty())
            text += QStringLiteral(": ") + item.text;
        return text;
    }
    case TimelineItem::Kind::Error:
        return tr("error: %1").arg(item.text);
    case TimelineItem::Kind::Tls:
        return QStringLiteral("TLS: ") + item.text;
    case TimelineItem::Kind::Api:
        return QStringLiteral("API ") + item.text;
    case TimelineItem::Kind::Intercept:
        return item.text;
    }
    return QString();
}

// --- following the capture ---------------------------------------------------------------------

qsizetype TimelineModel::Block::rowsAt(int level) const
{
    qsizetype rows = 0;
    for (int w = qMax(0, level + 1); w < StartBins; ++w)
        rows += starts[size_t(w)];
    return rows;
}

TimelineModel::TimelineModel(QObject *parent)
    : QObject(parent)
{
    m_batchTimer.setSingleShot(true);
    m_batchTimer.setInterval(BatchIntervalMs);
    connect(&m_batchTimer, &QTimer::timeout, this, &TimelineModel::onBatchTimer);
}

TimelineModel::~TimelineModel() = default;

void TimelineModel::setCapture(Capture *capture)
{
    if (m_capture)
        m_capture->disconnect(this);
    m_capture = capture;
    if (m_capture) {
        connect(m_capture, &Capture::grown, this, &TimelineModel::scheduleBatch);
        connect(m_capture, &Capture::cleared, this, &TimelineModel::resetFromCapture);
        connect(m_capture, &QObject::destroyed, this, [this] {
            m_capture = nullptr; // before anything reads the half-destroyed capture
            resetFromCapture();
        });
    }
    resetFromCapture();
}

void TimelineModel::clearState()
{
    m_relayed = false;
    m_batchTimer.stop();
    m_ingested = 0;
    m_t0 = 0;
    m_lastClampedUs = 0;
    m_lastImportant = true;
    m_blocks.clear();
    m_rowPrefix.clear();
    for (auto &list : m_outstanding)
        list.clear();
    m_pairsByPong.clear();
    m_pairsByPing.clear();
    m_latestAnsweredPing[0] = m_latestAnsweredPing[1] = -1;
    m_handshake = HandshakeSummary();
    m_closing = ClosingSummary();
}

void TimelineModel::resetFromCapture()
{
    clearState();
    Q_EMIT reset();
    // Existing events are taken in like a backlog, in slices, rather than all at once here.
    if (m_capture && m_capture->count() > 0)
        scheduleBatch();
}

void TimelineModel::scheduleBatch()
{
    if (!m_batchTimer.isActive())
        m_batchTimer.start(BatchIntervalMs);
}

void TimelineModel::onBatchTimer()
{
    if (!m_capture)
        return;
    const qsizetype first = m_ingested;
    const qsizetype total = m_capture->count();
    const qint64 slice = TurnBudget::sliceNs(IngestBudgetMs * 1'000'000);
    QElapsedTimer clock;
    clock.start();
    while (m_ingested < total && clock.nsecsElapsed() < slice)
        ingest(qMin(total, m_ingested + IngestSlice));
    TurnBudget::spent(clock.nsecsElapsed());
    if (m_ingested < total)
        m_batchTimer.start(0); // more of the backlog on the next turn of the event loop
    if (m_ingested > first)
        Q_EMIT appended(first, m_ingested - 1);
}

void TimelineModel::flushPending()
{
    m_batchTimer.stop();
    if (!m_capture)
        return;
    const qsizetype first = m_ingested;
    ingest(m_capture->count());
    if (m_ingested > first)
        Q_EMIT appended(first, m_ingested - 1);
}

bool TimelineModel::isImportant(const WireEvent &e)
{
    return e.kind != EventKind::Frame || e.direction == Direction::Local || e.frame.opcode == Opcode::Close;
}

int TimelineModel::startBin(qint64 prevRel, qint64 rel, bool forced)
{
    // Two times share a bucket of 2^level µs exactly when their bucket numbers (time >> level) are
    // equal, that is when no bit at or above `level` differs.
    return forced ? StartBins - 1 : int(std::bit_width(quint64(prevRel ^ rel)));
}

WireEvent TimelineModel::eventAt(qsizetype index) const
{
    WireEvent e = m_capture->event(index);
    if (e.leg != Leg::None && e.direction != Direction::Local) {
        const bool towardServer = (e.leg == Leg::App) == (e.direction == Direction::Incoming);
        e.direction = towardServer ? Direction::Outgoing : Direction::Incoming;
    }
    return e;
}

void TimelineModel::ingest(qsizetype end)
{
    for (qsizetype i = m_ingested; i < end; ++i) {
        const WireEvent e = eventAt(i);
        // Intercept notes keep their leg on a QWebSocket connection, which stays a two-lane one.
        m_relayed = m_relayed || (e.leg != Leg::None && e.kind != EventKind::Intercept);
        ingestOne(i, e);
    }
    m_ingested = qMax(m_ingested, end);
}

void TimelineModel::ingestOne(qsizetype index, const WireEvent &e)
{
    const bool important = isImportant(e);
    if (index == 0) {
        m_t0 = e.timeUs;
        m_lastClampedUs = e.timeUs;
        m_lastImportant = true;
    }
    // Clocks can step back (system_clock, events stamped with the time a read started): rows follow
    // the running maximum so that they stay in capture order.
    const qint64 clamped = qMax(e.timeUs, m_lastClampedUs);
    if (index % BlockSize == 0) {
        Block block;
        block.prevClampedUs = m_lastClampedUs;
        block.prevImportant = m_lastImportant;
        m_blocks.push_back(block);
    }
    Block &block = m_blocks.back();
    block.starts[size_t(startBin(m_lastClampedUs - m_t0, clamped - m_t0, important || m_lastImportant))] += 1;
    m_lastClampedUs = clamped;
    m_lastImportant = important;

    switch (e.kind) {
    case EventKind::Frame: {
        if (e.direction == Direction::Local)
            break;
        const int d = dirIndex(e.direction);
        const quint8 opcode = e.frame.opcode;
        if (!important) {
            LaneStats &lane = block.lanes[d];
            const auto offset = quint16(index % BlockSize);
            if (lane.count == 0)
                lane.first = offset;
            lane.last = offset;
            ++lane.count;
            ++lane.byType[TimelineLane::typeOf(opcode)];
            lane.bytes += quint64(e.payload.size());
        }
        if (opcode == Opcode::Ping) {
            auto &waiting = m_outstanding[d];
            waiting.push_back({ index, qHash(e.payload) });
            if (qsizetype(waiting.size()) > MaxOutstandingPings)
                waiting.erase(waiting.begin());
        } else if (opcode == Opcode::Pong) {
            matchPong(index, e);
        } else if (opcode == Opcode::Close) {
            const ClosePayload close = ClosePayload::parse(e.payload);
            const Direction firstDirection
                = m_closing.initiator == ClosingSummary::Initiator::Client ? Direction::Outgoing : Direction::Incoming;
            if (m_closing.firstCloseIndex < 0) {
                m_closing.firstCloseIndex = index;
                m_closing.initiator = e.direction == Direction::Outgoing ? ClosingSummary::Initiator::Client
                                                                         : ClosingSummary::Initiator::Server;
                m_closing.firstHasCode = close.hasCode;
                m_closing.firstCode = close.code;
                m_closing.firstReason = plainLine(close.reason);
            } else if (m_closing.replyIndex < 0 && e.direction != firstDirection) {
                m_closing.replyIndex = index;
                m_closing.replyHasCode = close.hasCode;
                m_closing.replyCode = close.code;
                m_closing.replyReason = plainLine(close.reason);
                m_closing.handshakeUs = qMax<qint64>(0, e.timeUs - m_capture->event(m_closing.firstCloseIndex).timeUs);
            }
        }
        break;
    }
    case EventKind::HandshakeRequest:
        if (m_handshake.requestIndex < 0) {
            m_handshake.requestIndex = index;
            m_handshake.requestLine = firstLine(e.payload);
        }
        break;
    case EventKind::HandshakeResponse:
        if (m_handshake.responseIndex < 0) {
            m_handshake.responseIndex = index;
            m_handshake.statusLine = firstLine(e.payload);
            m_handshake.status = httpStatus(m_handshake.statusLine);
            if (m_handshake.requestIndex >= 0)
                m_handshake.durationUs = qMax<qint64>(0, e.timeUs - m_capture->event(m_handshake.requestIndex).timeUs);
        }
        break;
    case EventKind::StateChange:
        if (e.state == ReadyState::Closed && m_closing.closedIndex < 0) {
            m_closing.closedIndex = index;
            m_closing.finalCode = e.closeCode;
            m_closing.wasClean = e.wasClean;
        }
        break;
    default:
        break;
    }
}

void TimelineModel::matchPong(qsizetype index, const WireEvent &e)
{
    // A pong answers a ping sent the other way (RFC 6455 §5.5.3) and carries its payload. Among
    // several pings with that payload the earliest still waiting is taken: each gets its own pong
    // when the peer answers every one, and the pong of a skipped ping simply never comes.
    const int pingDir = 1 - dirIndex(e.direction);
    auto &waiting = m_outstanding[pingDir];
    const size_t hash = qHash(e.payload);
    for (auto it = waiting.begin(); it != waiting.end(); ++it) {
        if (it->hash != hash || m_capture->event(it->index).payload != e.payload)
            continue;
        const qsizetype ping = it->index;
        waiting.erase(it);
        m_pairsByPong.emplace_back(index, ping);
        const auto pos = std::upper_bound(m_pairsByPing.begin(), m_pairsByPing.end(), std::make_pair(ping, index));
        m_pairsByPing.insert(pos, { ping, index });
        m_latestAnsweredPing[pingDir] = qMax(m_latestAnsweredPing[pingDir], ping);
        return;
    }
}

PingPong TimelineModel::pingPong(qsizetype index) const
{
    PingPong result;
    if (!m_capture || index < 0 || index >= m_ingested)
        return result;
    const WireEvent e = eventAt(index);
    if (e.kind != EventKind::Frame || e.direction == Direction::Local)
        return result;
    const auto byFirst = [](const std::pair<qsizetype, qsizetype> &p, qsizetype v) { return p.first < v; };
    if (e.frame.opcode == Opcode::Ping) {
        result.ping = index;
        result.pingDirection = e.direction;
        const auto it = std::lower_bound(m_pairsByPing.begin(), m_pairsByPing.end(), index, byFirst);
        if (it != m_pairsByPing.end() && it->first == index) {
            result.status = PingPong::Status::Answered;
            result.pong = it->second;
        } else {
            result.status = m_latestAnsweredPing[dirIndex(e.direction)] > index ? PingPong::Status::Superseded
                                                                                : PingPong::Status::Unanswered;
        }
    } else if (e.frame.opcode == Opcode::Pong) {
        result.pong = index;
        result.pingDirection = e.direction == Direction::Outgoing ? Direction::Incoming : Direction::Outgoing;
        const auto it = std::lower_bound(m_pairsByPong.begin(), m_pairsByPong.end(), index, byFirst);
        if (it != m_pairsByPong.end() && it->first == index) {
            result.status = PingPong::Status::Answered;
            result.ping = it->second;
        } else {
            result.status = PingPong::Status::Unsolicited;
        }
    } else {
        return result;
    }
    if (result.status == PingPong::Status::Answered)
        result.rttUs = m_capture->event(result.pong).timeUs - m_capture->event(result.ping).timeUs;
    return result;
}

// --- rows --------------------------------------------------------------------------------------

// Walks the capture from a block start, recomputing for each event what ingestOne() computed: its
// clamped time and at which levels it starts a row.
class TimelineModel::Cursor {
public:
    explicit Cursor(const TimelineModel &model)
        : m(model)
    {
    }
    void seekBlock(qsizetype block)
    {
        index = block * BlockSize;
        const Block &b = m.m_blocks[size_t(block)];
        prevClamped = b.prevClampedUs;
        prevImportant = b.prevImportant;
    }
    bool atEnd() const { return index >= m.m_ingested; }
    void read()
    {
        e = m.eventAt(index);
        important = isImportant(e);
        clamped = qMax(e.timeUs, prevClamped);
        bin = startBin(prevClamped - m.m_t0, clamped - m.m_t0, important || prevImportant);
    }
    void advance()
    {
        prevClamped = clamped;
        prevImportant = important;
        ++index;
    }
    bool startsRow(int level) const { return bin > level; }

    const TimelineModel &m;
    qsizetype index = 0;
    qint64 prevClamped = 0;
    bool prevImportant = true;
    WireEvent e;
    bool important = false;
    qint64 clamped = 0;
    int bin = 0;
};

qsizetype TimelineModel::rowsBeforeBlock(int level, qsizetype block) const
{
    level = qBound(EveryEventLevel, level, StartBins - 2);
    const qsizetype complete = m_ingested / BlockSize;
    if (m_rowPrefix.empty())
        m_rowPrefix.resize(StartBins);
    std::vector<qsizetype> &prefix = m_rowPrefix[size_t(level + 1)];
    if (prefix.empty())
        prefix.push_back(0);
    const qsizetype want = qMin(block, complete);
    for (auto b = qsizetype(prefix.size()) - 1; b < want; ++b)
        prefix.push_back(prefix.back() + m_blocks[size_t(b)].rowsAt(level));
    qsizetype rows = prefix[size_t(want)];
    if (block > complete)
        rows += m_blocks[size_t(complete)].rowsAt(level); // the block still filling up
    return rows;
}

qsizetype TimelineModel::rowCount(int level) const
{
    return m_capture ? rowsBeforeBlock(level, blockCount()) : 0;
}

qsizetype TimelineModel::rowOfEvent(int level, qsizetype index) const
{
    if (!m_capture || index < 0 || index >= m_ingested)
        return -1;
    const qsizetype block = index / BlockSize;
    Cursor cursor(*this);
    cursor.seekBlock(block);
    qsizetype starts = 0;
    for (; cursor.index <= index; cursor.advance()) {
        cursor.read();
        if (cursor.startsRow(level))
            ++starts;
    }
    return rowsBeforeBlock(level, block) + starts - 1;
}

qsizetype TimelineModel::firstEventOfRow(int level, qsizetype row) const
{
    if (row < 0 || row >= rowCount(level))
        return -1;
    // The block holding the row's start: the first whose end has more rows than `row`.
    qsizetype lo = 0;
    qsizetype hi = blockCount() - 1;
    while (lo < hi) {
        const qsizetype mid = (lo + hi) / 2;
        if (rowsBeforeBlock(level, mid + 1) > row)
            hi = mid;
        else
            lo = mid + 1;
    }
    Cursor cursor(*this);
    cursor.seekBlock(lo);
    qsizetype skip = row - rowsBeforeBlock(level, lo);
    for (; !cursor.atEnd(); cursor.advance()) {
        cursor.read();
        if (cursor.startsRow(level) && skip-- == 0)
            return cursor.index;
    }
    return -1;
}

void TimelineModel::finishLane(TimelineLane &lane) const
{
    if (lane.count == 0)
        return;
    const WireEvent first = m_capture->event(lane.first);
    lane.firstTimeUs = first.timeUs;
    lane.lastTimeUs = lane.last == lane.first ? first.timeUs : m_capture->event(lane.last).timeUs;
    if (lane.count == 1) {
        lane.opcode = first.frame.opcode;
        lane.fin = first.frame.fin;
        lane.sincePreviousUs
            = lane.first > 0 ? qMax<qint64>(0, first.timeUs - m_capture->event(lane.first - 1).timeUs) : -1;
    }
}

TimelineItem TimelineModel::buildRow(int level, qsizetype row, Cursor &cursor) const
{
    // The cursor has read the event that starts the row; it is left on the one that starts the next.
    TimelineItem item;
    item.row = row;
    item.first = cursor.index;
    item.timeUs = cursor.e.timeUs;
    item.direction = cursor.e.direction;
    if (item.first > 0)
        item.sincePreviousUs = qMax<qint64>(0, item.timeUs - m_capture->event(item.first - 1).timeUs);

    if (cursor.important) {
        const WireEvent &e = cursor.e;
        item.last = item.first;
        item.endTimeUs = item.timeUs;
        item.size = quint64(e.payload.size());
        switch (e.kind) {
        case EventKind::HandshakeRequest:
            item.kind = TimelineItem::Kind::HandshakeRequest;
            item.text = firstLine(e.payload);
            break;
        case EventKind::HandshakeResponse:
            item.kind = TimelineItem::Kind::HandshakeResponse;
            item.text = firstLine(e.payload);
            item.httpStatus = httpStatus(item.text);
            break;
        case EventKind::Frame: {
            // A close frame (or, oddly, a frame recorded as local): its own row.
            item.kind = TimelineItem::Kind::CloseFrame;
            const ClosePayload close = ClosePayload::parse(e.payload);
            item.hasCode = close.hasCode;
            item.code = close.code;
            item.text = plainLine(close.reason);
            break;
        }
        case EventKind::StateChange:
            item.kind = TimelineItem::Kind::State;
            item.state = e.state;
            item.code = e.closeCode;
            item.hasCode = e.state == ReadyState::Closed;
            item.wasClean = e.wasClean;
            item.text = plainLine(e.payload);
            break;
        case EventKind::Violation:
            item.kind = TimelineItem::Kind::Violation;
            item.rule = e.violation;
            item.code = e.closeCode;
            item.hasCode = e.closeCode != 0;
            item.text = plainLine(e.payload);
            break;
        case EventKind::Error:
            item.kind = TimelineItem::Kind::Error;
            item.text = plainLine(e.payload);
            break;
        case EventKind::TlsInfo:
            item.kind = TimelineItem::Kind::Tls;
            item.text = firstLine(e.payload);
            break;
        case EventKind::Api:
            item.kind = TimelineItem::Kind::Api;
            if (const std::optional<ApiCall> call = ApiCall::fromJson(e.payload))
                item.text = call->summary(200);
            else
                item.text = plainLine(e.payload);
            break;
        case EventKind::Intercept:
            item.kind = TimelineItem::Kind::Intercept;
            if (const std::optional<InterceptNote> note = InterceptNote::fromJson(e.payload))
                item.text = note->summary();
            else
                item.text = plainLine(e.payload);
            break;
        }
        cursor.advance();
        if (!cursor.atEnd())
            cursor.read();
        return item;
    }

    item.kind = TimelineItem::Kind::Frames;
    for (;;) {
        TimelineLane &lane = item.lanes[dirIndex(cursor.e.direction)];
        if (lane.count == 0)
            lane.first = cursor.index;
        lane.last = cursor.index;
        ++lane.count;
        ++lane.byType[TimelineLane::typeOf(cursor.e.frame.opcode)];
        lane.bytes += quint64(cursor.e.payload.size());
        cursor.advance();
        // A burst that covers whole blocks is added up from their summaries, not read event by event.
        while (!cursor.atEnd() && cursor.index % BlockSize == 0) {
            const qsizetype b = cursor.index / BlockSize;
            const Block &block = m_blocks[size_t(b)];
            if (block.rowsAt(level) != 0)
                break;
            for (int d = 0; d < 2; ++d) {
                const LaneStats &stats = block.lanes[d];
                if (stats.count == 0)
                    continue;
                TimelineLane &l = item.lanes[d];
                if (l.count == 0)
                    l.first = b * BlockSize + stats.first;
                l.last = b * BlockSize + stats.last;
                l.count += stats.count;
                for (int t = 0; t < TimelineLane::TypeCount; ++t)
                    l.byType[size_t(t)] += stats.byType[size_t(t)];
                l.bytes += stats.bytes;
            }
            if (b + 1 < blockCount())
                cursor.seekBlock(b + 1);
            else
                cursor.index = m_ingested;
        }
        if (cursor.atEnd())
            break;
        cursor.read();
        if (cursor.startsRow(level))
            break;
    }
    item.last = cursor.index - 1;
    item.endTimeUs = item.last == item.first ? item.timeUs : m_capture->event(item.last).timeUs;
    for (TimelineLane &lane : item.lanes)
        finishLane(lane);
    item.direction = item.lanes[0].isEmpty() ? Direction::Outgoing
        : item.lanes[1].isEmpty()            ? Direction::Incoming
                                             : Direction::Local;
    return item;
}

QList<TimelineItem> TimelineModel::items(int level, qsizetype firstRow, qsizetype count) const
{
    QList<TimelineItem> out;
    const qsizetype rows = rowCount(level);
    firstRow = qMax<qsizetype>(0, firstRow);
    const qsizetype end = qMin(rows, firstRow + qMax<qsizetype>(0, count));
    if (firstRow >= end)
        return out;
    const qsizetype start = firstEventOfRow(level, firstRow);
    if (start < 0)
        return out;
    out.reserve(end - firstRow);
    Cursor cursor(*this);
    cursor.seekBlock(start / BlockSize);
    while (cursor.index < start) {
        cursor.read();
        cursor.advance();
    }
    cursor.read();
    for (qsizetype row = firstRow; row < end && !cursor.atEnd(); ++row)
        out.append(buildRow(level, row, cursor));
    return out;
}

TimelineItem TimelineModel::item(int level, qsizetype row) const
{
    const QList<TimelineItem> list = items(level, row, 1);
    return list.isEmpty() ? TimelineItem() : list.first();
}
