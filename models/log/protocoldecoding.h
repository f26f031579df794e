#pragma once

#include "decode/decoded.h"
#include "log/capture.h"

#include <QCache>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>
#include <optional>
#include <vector>

class Decoder;

// The protocol on top of one Capture's connection (Socket.IO, STOMP, MQTT, ...), free of Widgets:
// which protocol it is (chosen by the user, or found from the handshake or the first messages),
// what each data message means, and which messages answer which.
//
// Like the timeline, it follows the capture in batches, decoding each data message once as it
// arrives, in order, with one Decoder per conversation (a relay records what the application sent
// on its leg and what the server sent on the other: both legs are one conversation). It keeps
// little per message: the decoders' state only where it changed (a Socket.IO attachment to come, an
// MQTT packet cut across messages), and the requests and answers that were paired. A message shown
// again (a row painted, the payload view) is decoded again from its bytes and that state, and the
// last few hundred results are cached.
class ProtocolDecoding : public QObject {
    Q_OBJECT
public:
    static constexpr int BatchIntervalMs = 16;
    // The pass's own cap within the turn's shared budget (TurnBudget). Tracking costs about 0.4 us
    // an event (Decoder::track()), so 4 ms keeps up with a flood of 5 million events a second.
    static constexpr int IngestBudgetMs = 4;
    // Requests waiting for an answer, per leg; older ones are given up as unanswered.
    static constexpr qsizetype MaxOutstanding = 4096;
    static constexpr int CachedMessages = 512;
    // A decoder state larger than this is not kept (see take()).
    static constexpr qsizetype MaxStoredState = 64 * 1024;

    // Auto: from the subprotocol, then the URL, then the content; None: no decoding.
    using Choice = Decode::Choice;

    explicit ProtocolDecoding(QObject *parent = nullptr);
    ~ProtocolDecoding() override;

    void setCapture(Capture *capture);
    Capture *capture() const { return m_capture; }
    // Decodes everything again under the new choice.
    void setChoice(Choice choice);
    Choice choice() const { return m_choice; }

    // The protocol in use on `leg` (Leg::None for a connection of our own; a relay's legs share
    // theirs); None until found.
    Decode::Protocol protocol(Leg leg = Leg::None) const;
    // The protocol of either leg, the application's first: what the connection speaks.
    Decode::Protocol activeProtocol() const;
    // How it was found: "the subprotocol v12.stomp", "chosen by hand"; empty when none.
    QString reason(Leg leg = Leg::None) const;

    // The meaning of the data message whose final frame is the event at `index`; a null Decoded for
    // any other event, a message not decoded (no protocol, not taken in yet) or one whose payload
    // was dropped by the memory budget.
    Decode::Decoded decodedAt(qsizetype index) const;
    bool isDecodable(qsizetype index) const;

    // A request and its answer (or a progress answer), by the capture indices of their messages.
    struct Pair {
        qsizetype request = -1;
        qsizetype answer = -1; // -1: no answer (yet)
        qint64 elapsedUs = -1; // request to answer
        Decode::Correlation::Role answerRole = Decode::Correlation::Role::Answer;
        QByteArray key;
    };
    // Pairs this message takes part in, as the request or as an answer; a request still waiting
    // has a pair with answer -1.
    QList<Pair> pairsOf(qsizetype index) const;
    // "answered by #57 in 3.2 ms", "answers #12 (ack /chat 3) after 3.2 ms", "no answer yet"
    QString pairingText(qsizetype index) const;

    // Takes in every event recorded so far now, instead of at the next batch tick.
    void flushPending();
    // Takes in events up to `index` now, without signals (appended() follows at the next batch):
    // for a reader that must judge that event now (the log filter's search).
    void catchUp(qsizetype index);
    qsizetype eventCount() const { return m_ingested; }

    // Who sent an event: the client or the server of its leg.
    static Decode::Sender senderOf(const WireEvent &event);
    // A connection of our own is one conversation; a relay's two legs are one too (0, 1).
    static int conversationOf(Leg leg);

Q_SIGNALS:
    // The protocol was found, chosen or changed, or the capture was cleared: decoded text may
    // differ for every message.
    void reset();
    // Messages up to `lastEvent` were decoded.
    void appended(qsizetype firstEvent, qsizetype lastEvent);

private:
    struct LegState;
    void scheduleBatch();
    void onBatchTimer();
    void announce();
    void ingest(qsizetype end);
    void take(qsizetype index, const WireEvent &event);
    void restart();
    void restartQuietly();
    LegState &legState(Leg leg);
    const LegState *legStateOf(Leg leg) const;
    void detectFromHandshake(LegState &state, Leg leg);
    void startDecoder(LegState &state, Decode::Protocol protocol, const QString &reason);
    void notePairs(LegState &state, qsizetype index, const WireEvent &event, const QList<Decode::Correlation> &correlations);
    // The data message ending at `index`: its payload and whether it is binary, if it is one.
    struct MessageBytes {
        QByteArray payload;
        bool binary = false;
    };
    std::optional<MessageBytes> messageAt(qsizetype index, const WireEvent &event) const;

    QPointer<Capture> m_capture;
    Choice m_choice;
    qsizetype m_ingested = 0;
    qsizetype m_announced = 0; // events appended() has told of
    bool m_resetPending = false; // restartQuietly() ran: reset() is yet to be told
    Decode::Protocol m_announcedProtocol = Decode::Protocol::None; // activeProtocol() when reset() was last told
    QTimer m_batchTimer;
    std::unique_ptr<LegState> m_legs[2]; // by conversationOf()
    std::vector<Pair> m_pairs;
    QHash<qsizetype, QList<int>> m_pairsByEvent; // event index -> indices into m_pairs
    mutable QCache<qsizetype, Decode::Decoded> m_cache { CachedMessages };
    QHash<qsizetype, Decode::Decoded> m_pinned; // decoded under a state too large to keep
};
