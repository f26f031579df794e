#include "log/protocoldecoding.h"

#include "decode/decoder.h"
#include "decode/protocoldetector.h"
#include "log/timelinemodel.h"
#include "log/turnbudget.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <deque>

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(ProtocolDecoding)
};

using namespace Decode;

int senderSlot(Sender sender)
{
    return sender == Sender::Server ? 1 : 0;
}

// Events taken between two looks at the clock. A Socket.IO event takes about 8 µs to decode, so
// 4096 of them ran 30-50 ms past the 8 ms budget (bench ONLY=decode); 64 keep a slice under 1 ms.
constexpr qsizetype IngestSlice = 64;

} // namespace

struct ProtocolDecoding::LegState {
    // What the leg speaks: kept across restart(), which only decodes again.
    Protocol protocol = Protocol::None;
    QString reason;
    ProtocolDetector::Search search; // while automatic and nothing found

    std::unique_ptr<Decoder> decoder; // the pass's, fed every message in order
    std::unique_ptr<Decoder> viewer; // decodes a message again for decodedAt()
    // A sender's decoder state after the message at `first`, where it differs from the state before:
    // the state before a message is the last entry before it (none: empty).
    std::vector<std::pair<qsizetype, QByteArray>> states[2];
    QByteArray lastState[2];
    // A state too large to keep (an MQTT packet of megabytes cut across many messages) is not
    // stored; the messages decoded under it are kept decoded instead (m_pinned).
    bool stateTooLarge[2] = { false, false };
    // Requests waiting for an answer, by the sender that asked: key -> pair indices, oldest first.
    QHash<QByteArray, std::deque<int>> waiting[2];
    std::deque<std::pair<int, QByteArray>> waitingOrder[2]; // to give up the oldest beyond MaxOutstanding

    void resetProgress()
    {
        decoder.reset();
        for (int s = 0; s < 2; ++s) {
            states[s].clear();
            lastState[s].clear();
            stateTooLarge[s] = false;
            waiting[s].clear();
            waitingOrder[s].clear();
        }
        if (protocol == Protocol::None)
            search.forgetMessages(); // the messages are looked at again
        if (protocol != Protocol::None)
            decoder = Decoder::create(protocol);
    }
};

ProtocolDecoding::ProtocolDecoding(QObject *parent)
    : QObject(parent)
{
    m_batchTimer.setSingleShot(true);
    connect(&m_batchTimer, &QTimer::timeout, this, &ProtocolDecoding::onBatchTimer);
}

ProtocolDecoding::~ProtocolDecoding() = default;

void ProtocolDecoding::setCapture(Capture *capture)
{
    if (m_capture)
        m_capture->disconnect(this);
    m_capture = capture;
    if (m_capture) {
        connect(m_capture, &Capture::grown, this, &ProtocolDecoding::scheduleBatch);
        // Clear forgets the messages, not the conversation: the protocol found stays.
        connect(m_capture, &Capture::cleared, this, &ProtocolDecoding::restart);
        connect(m_capture, &QObject::destroyed, this, [this] {
            m_capture = nullptr;
            for (auto &leg : m_legs)
                leg.reset();
            restart();
        });
    }
    for (auto &leg : m_legs)
        leg.reset();
    restart();
    scheduleBatch();
}

void ProtocolDecoding::setChoice(Choice choice)
{
    if (choice == m_choice)
        return;
    m_choice = choice;
    for (auto &leg : m_legs)
        leg.reset();
    restart();
    scheduleBatch();
}

void ProtocolDecoding::restart()
{
    restartQuietly();
    m_resetPending = false;
    m_announcedProtocol = activeProtocol();
    Q_EMIT reset();
}

void ProtocolDecoding::restartQuietly()
{
    // As restart(), from inside the pass (which a reader may be running): reset() is told at the
    // next announce(), never from inside a reader's call.
    m_ingested = 0;
    m_announced = 0;
    m_pairs.clear();
    m_pairsByEvent.clear();
    m_cache.clear();
    m_pinned.clear();
    for (auto &leg : m_legs)
        if (leg)
            leg->resetProgress();
    m_resetPending = true;
    scheduleBatch();
}

ProtocolDecoding::LegState &ProtocolDecoding::legState(Leg leg)
{
    auto &state = m_legs[conversationOf(leg)];
    if (!state) {
        state = std::make_unique<LegState>();
        if (!m_choice.automatic)
            startDecoder(*state, m_choice.protocol, Tr::tr("chosen by hand"));
    }
    return *state;
}

const ProtocolDecoding::LegState *ProtocolDecoding::legStateOf(Leg leg) const
{
    return m_legs[conversationOf(leg)].get();
}

void ProtocolDecoding::startDecoder(LegState &state, Protocol protocol, const QString &reason)
{
    state.protocol = protocol;
    state.reason = protocol == Protocol::None ? QString() : reason;
    state.resetProgress();
    state.viewer = Decoder::create(protocol);
    if (protocol != Protocol::None && !state.decoder) {
        // No decoder exists for it (yet): say so rather than pretend.
        state.reason = Tr::tr("%1, which cannot be decoded").arg(reason);
    }
}

Protocol ProtocolDecoding::protocol(Leg leg) const
{
    const LegState *state = legStateOf(leg);
    return state && state->decoder ? state->protocol : Protocol::None;
}

Protocol ProtocolDecoding::activeProtocol() const
{
    for (Leg leg : { Leg::None, Leg::App, Leg::Server })
        if (const Protocol p = protocol(leg); p != Protocol::None)
            return p;
    return Protocol::None;
}

QString ProtocolDecoding::reason(Leg leg) const
{
    const LegState *state = legStateOf(leg);
    return state ? state->reason : QString();
}

int ProtocolDecoding::conversationOf(Leg leg)
{
    // A relay records each message once, on the leg where it arrived: what the application sent on
    // its leg, the server's answers on the server's. Both legs are one conversation.
    return leg == Leg::None ? 0 : 1;
}

Sender ProtocolDecoding::senderOf(const WireEvent &event)
{
    // Our own connections and a relay's server leg: we are the client, what comes in is the
    // server's. On the application's leg the inspector plays the server.
    const bool incoming = event.direction == Direction::Incoming;
    if (event.leg == Leg::App)
        return incoming ? Sender::Client : Sender::Server;
    return incoming ? Sender::Server : Sender::Client;
}

void ProtocolDecoding::scheduleBatch()
{
    if (!m_batchTimer.isActive())
        m_batchTimer.start(BatchIntervalMs);
}

void ProtocolDecoding::onBatchTimer()
{
    if (!m_capture)
        return;
    const qsizetype total = m_capture->count();
    const qint64 slice = TurnBudget::sliceNs(IngestBudgetMs * 1'000'000);
    QElapsedTimer clock;
    clock.start();
    while (m_ingested < total && clock.nsecsElapsed() < slice)
        ingest(qMin(total, m_ingested + IngestSlice));
    TurnBudget::spent(clock.nsecsElapsed());
    if (m_ingested < total)
        m_batchTimer.start(0); // more of the backlog on the next turn of the event loop
    announce();
}

void ProtocolDecoding::announce()
{
    // A protocol chosen by hand starts with the first conversation the pass meets, after the
    // reset() that setChoice() told: the views learn of it here.
    const Protocol active = activeProtocol();
    if (m_resetPending || active != m_announcedProtocol) {
        m_resetPending = false;
        m_announcedProtocol = active;
        Q_EMIT reset();
    }
    if (m_ingested > m_announced) {
        const qsizetype first = m_announced;
        m_announced = m_ingested;
        Q_EMIT appended(first, m_ingested - 1);
    }
}

void ProtocolDecoding::flushPending()
{
    if (!m_capture)
        return;
    ingest(m_capture->count());
    m_batchTimer.stop();
    announce();
}

void ProtocolDecoding::catchUp(qsizetype index)
{
    if (!m_capture || index < m_ingested)
        return;
    ingest(qMin(index + 1, m_capture->count()));
    scheduleBatch();
}

void ProtocolDecoding::ingest(qsizetype end)
{
    while (m_capture && m_ingested < end) {
        const qsizetype index = m_ingested++;
        take(index, m_capture->event(index));
    }
}

void ProtocolDecoding::detectFromHandshake(LegState &state, Leg leg)
{
    const qsizetype request = m_capture->firstOfKind(EventKind::HandshakeRequest, leg);
    const qsizetype response = m_capture->firstOfKind(EventKind::HandshakeResponse, leg);
    if (state.search.handshake(request >= 0 ? m_capture->event(request).payload : QByteArrayView(),
                               response >= 0 ? m_capture->event(response).payload : QByteArrayView())) {
        startDecoder(state, state.search.found().protocol, state.search.found().reason);
        m_resetPending = true; // the Message column and the Decode button have something to show
    }
}

std::optional<ProtocolDecoding::MessageBytes> ProtocolDecoding::messageAt(qsizetype index, const WireEvent &event) const
{
    if (event.kind != EventKind::Frame || !event.frame.fin || event.messageId == 0 || event.payloadDropped)
        return std::nullopt;
    const Capture::Message message = m_capture->message(index);
    if (!message.complete || message.dropped || (message.compressed && !message.inflated))
        return std::nullopt;
    if (message.opcode != Opcode::Text && message.opcode != Opcode::Binary)
        return std::nullopt;
    return MessageBytes { message.payload, message.opcode == Opcode::Binary };
}

void ProtocolDecoding::take(qsizetype index, const WireEvent &event)
{
    if (event.direction == Direction::Local)
        return;
    LegState &state = legState(event.leg);
    // Nothing found and nothing more to look at (plain traffic, a flood): nothing to do per event.
    if (state.protocol == Protocol::None && (!m_choice.automatic || state.search.isDone()))
        return;
    if (m_choice.automatic && state.protocol == Protocol::None && !state.search.handshakeSeen()
        && (event.kind == EventKind::HandshakeResponse || event.kind == EventKind::Frame))
        detectFromHandshake(state, event.leg);
    const auto message = messageAt(index, event);
    if (!message)
        return;
    const Sender sender = senderOf(event);
    if (state.protocol == Protocol::None) {
        if (!m_choice.automatic || !state.search.message(sender, message->binary, message->payload))
            return;
        startDecoder(state, state.search.found().protocol, state.search.found().reason);
        // Decode the leg from its first message: the messages before this one are the protocol's too.
        restartQuietly();
        return;
    }
    if (!state.decoder)
        return;
    QList<Correlation> correlations;
    if (state.stateTooLarge[0] || state.stateTooLarge[1]) {
        // Its state before was not kept: it cannot be decoded again, so it is kept decoded.
        const Decoded decoded = state.decoder->decode(sender, message->binary, message->payload);
        m_pinned.insert(index, decoded);
        correlations = decoded.correlations();
    } else {
        // The text is made when a row, the payload view or the search asks (decodedAt()); the pass
        // needs only the state and the pairs.
        correlations = state.decoder->track(sender, message->binary, message->payload);
    }
    for (int s = 0; s < 2; ++s) {
        QByteArray now = state.decoder->state(s == 1 ? Sender::Server : Sender::Client);
        if (now == state.lastState[s])
            continue;
        // Kept where it changed; a state that grows message by message would cost the square of
        // its size, so beyond MaxStoredState it is not kept at all.
        state.stateTooLarge[s] = now.size() > MaxStoredState;
        state.states[s].emplace_back(index, state.stateTooLarge[s] ? QByteArray() : now);
        state.lastState[s] = std::move(now);
    }
    notePairs(state, index, event, correlations);
}

void ProtocolDecoding::notePairs(LegState &state, qsizetype index, const WireEvent &event, const QList<Correlation> &correlations)
{
    const Sender sender = senderOf(event);
    const int asker = senderSlot(sender);
    const int other = 1 - asker;
    for (const Correlation &c : correlations) {
        if (c.role == Correlation::Role::Request) {
            const int pair = int(m_pairs.size());
            m_pairs.push_back(Pair { index, -1, -1, Correlation::Role::Answer, c.key });
            m_pairsByEvent[index].append(pair);
            state.waiting[asker][c.key].push_back(pair);
            state.waitingOrder[asker].emplace_back(pair, c.key);
            if (qsizetype(state.waitingOrder[asker].size()) > MaxOutstanding) {
                const auto [oldest, key] = state.waitingOrder[asker].front();
                state.waitingOrder[asker].pop_front();
                auto it = state.waiting[asker].find(key);
                if (it != state.waiting[asker].end()) {
                    std::erase(*it, oldest);
                    if (it->empty())
                        state.waiting[asker].erase(it);
                }
            }
            continue;
        }
        // An answer from this sender ends (or advances) a request the other sender made; a
        // continuation is the asker's own next step of its request.
        const int requester = c.role == Correlation::Role::Continue ? asker : other;
        auto it = state.waiting[requester].find(c.key);
        if (it == state.waiting[requester].end() || it->empty())
            continue;
        const int requestPair = it->front();
        const qsizetype request = m_pairs[requestPair].request;
        const qint64 elapsed = event.timeUs - m_capture->event(request).timeUs;
        if (c.role == Correlation::Role::Answer) {
            it->pop_front();
            if (it->empty())
                state.waiting[requester].erase(it);
            std::erase_if(state.waitingOrder[requester], [requestPair](const auto &w) { return w.first == requestPair; });
        }
        Pair &p = m_pairs[requestPair];
        if (p.answer < 0) {
            // The first answer fills the request's own pair.
            p.answer = index;
            p.elapsedUs = elapsed;
            p.answerRole = c.role;
            m_pairsByEvent[index].append(requestPair);
        } else {
            // Later ones (a subscription's next items, then its complete) get a pair of their own.
            const int pair = int(m_pairs.size());
            m_pairs.push_back(Pair { request, index, elapsed, c.role, c.key });
            m_pairsByEvent[index].append(pair);
            m_pairsByEvent[request].append(pair);
        }
    }
}

bool ProtocolDecoding::isDecodable(qsizetype index) const
{
    if (!m_capture || index < 0 || index >= m_ingested)
        return false;
    const WireEvent event = m_capture->event(index);
    const LegState *state = legStateOf(event.leg);
    return state && state->decoder && event.kind == EventKind::Frame && event.frame.fin && event.messageId != 0;
}

Decoded ProtocolDecoding::decodedAt(qsizetype index) const
{
    if (!isDecodable(index))
        return {};
    if (const Decoded *cached = m_cache.object(index))
        return *cached;
    if (const auto pinned = m_pinned.constFind(index); pinned != m_pinned.cend())
        return *pinned;
    const WireEvent event = m_capture->event(index);
    const auto message = messageAt(index, event);
    if (!message)
        return {};
    const LegState *state = legStateOf(event.leg);
    if (!state->viewer)
        return {};
    // The decoder's state before this message, for both senders.
    for (int s = 0; s < 2; ++s) {
        const auto &states = state->states[s];
        auto it = std::lower_bound(states.begin(), states.end(), index,
                                   [](const std::pair<qsizetype, QByteArray> &entry, qsizetype i) { return entry.first < i; });
        state->viewer->setState(s == 1 ? Sender::Server : Sender::Client, it == states.begin() ? QByteArray() : std::prev(it)->second);
    }
    auto decoded = std::make_unique<Decoded>(state->viewer->decode(senderOf(event), message->binary, message->payload));
    const Decoded result = *decoded;
    m_cache.insert(index, decoded.release());
    return result;
}

QList<ProtocolDecoding::Pair> ProtocolDecoding::pairsOf(qsizetype index) const
{
    QList<Pair> out;
    const auto it = m_pairsByEvent.constFind(index);
    if (it == m_pairsByEvent.cend())
        return out;
    for (int i : *it)
        out << m_pairs[size_t(i)];
    return out;
}

QString ProtocolDecoding::pairingText(qsizetype index) const
{
    QStringList parts;
    for (const Pair &p : pairsOf(index)) {
        const QString key = QString::fromUtf8(p.key);
        if (p.request == index) {
            if (p.answer < 0)
                parts << Tr::tr("%1: no answer yet").arg(key);
            else
                parts << Tr::tr("%1: answered by #%2 in %3").arg(key).arg(p.answer + 1).arg(TimelineModel::formatDuration(p.elapsedUs));
        } else {
            parts << Tr::tr("%1: answers #%2 after %3").arg(key).arg(p.request + 1).arg(TimelineModel::formatDuration(p.elapsedUs));
        }
    }
    return parts.join(QStringLiteral("; "));
}
