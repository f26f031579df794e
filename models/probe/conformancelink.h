#pragma once

#include "log/wireevent.h"
#include "net/clientengine.h"
#include "probe/conformanceresult.h"

#include <QObject>
#include <QPointer>

class ClientConnection;
class ServerConnection;

// What a conformance session needs of the connection it plays a case on, whichever end the tester
// is: the inspector's client engine testing a server, or its server engine testing a client. The
// link records every event into its sinks, in wire order.
class ConformanceLink : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    virtual Conformance::TesterRole role() const = 0;
    virtual void addSink(WireEventSink *sink) = 0;
    // Opens the connection (the client) or reports the open one (the server): opened() or closed()
    // follows.
    virtual void begin() = 0;
    virtual bool isOpen() const = 0; // OPEN: no close frame sent or received yet
    virtual void setWritePacing(int chop, bool flushEachFrame) = 0;
    // The case's frame; the server end unmasks it (servers do not mask).
    virtual void sendFrame(const FrameSpec &spec) = 0;
    virtual void sendFrameInParts(const FrameSpec &spec, qsizetype payloadBytes) = 0;
    virtual void continueFrame(qsizetype bytes) = 0;
    // A data message, compressed as agreed in the handshake, split into frames of `fragmentSize`
    // payload bytes (0: one frame).
    virtual void sendMessage(bool binary, const QByteArray &data, qsizetype fragmentSize) = 0;
    // The extensions agreed in the handshake, as the 101 said them; empty: none.
    virtual QByteArray acceptedExtensions() const = 0;
    // Starts the closing handshake with `code` (0: a close frame without a code).
    virtual void close(quint16 code) = 0;
    virtual void abort() = 0;
    // After closed(): the tester closed TCP, both close frames crossed, why it never opened.
    virtual bool droppedByTester() const = 0;
    virtual bool closeHandshakeComplete() const = 0;
    virtual QString errorString() const = 0;

Q_SIGNALS:
    void opened();
    void closed();
};

// The tester as the client: a fresh connection of the inspector's own engine, strict (it fails the
// connection on the server's violations, as a real client would), offering no extension but the
// permessage-deflate offers of the case's `deflate`.
class ClientConformanceLink : public ConformanceLink {
    Q_OBJECT
public:
    ClientConformanceLink(quint32 connectionId, const ConnectionOptions &base,
                          const std::optional<Conformance::Deflate> &deflate = std::nullopt, QObject *parent = nullptr);

    Conformance::TesterRole role() const override { return Conformance::TesterRole::Client; }
    void addSink(WireEventSink *sink) override;
    void begin() override;
    bool isOpen() const override;
    void setWritePacing(int chop, bool flushEachFrame) override;
    void sendFrame(const FrameSpec &spec) override;
    void sendFrameInParts(const FrameSpec &spec, qsizetype payloadBytes) override;
    void continueFrame(qsizetype bytes) override;
    void sendMessage(bool binary, const QByteArray &data, qsizetype fragmentSize) override;
    QByteArray acceptedExtensions() const override;
    void close(quint16 code) override;
    void abort() override;
    bool droppedByTester() const override;
    bool closeHandshakeComplete() const override;
    QString errorString() const override;

private:
    ConnectionOptions m_options;
    ClientConnection *m_connection;
};

// The tester as the server: a connection the conformance server accepted and upgraded.
class ServerConformanceLink : public ConformanceLink {
    Q_OBJECT
public:
    // `connection`: open (its 101 sent); its events must reach record().
    explicit ServerConformanceLink(ServerConnection *connection, QObject *parent = nullptr);

    // Where the server connection's recorder sends its events.
    void record(const WireEvent &event);

    Conformance::TesterRole role() const override { return Conformance::TesterRole::Server; }
    void addSink(WireEventSink *sink) override { m_sinks << sink; }
    void begin() override;
    bool isOpen() const override;
    void setWritePacing(int chop, bool flushEachFrame) override;
    void sendFrame(const FrameSpec &spec) override;
    void sendFrameInParts(const FrameSpec &spec, qsizetype payloadBytes) override;
    void continueFrame(qsizetype bytes) override;
    void sendMessage(bool binary, const QByteArray &data, qsizetype fragmentSize) override;
    QByteArray acceptedExtensions() const override;
    void close(quint16 code) override;
    void abort() override;
    bool droppedByTester() const override { return m_aborted; }
    bool closeHandshakeComplete() const override { return m_handshakeComplete; }
    QString errorString() const override { return {}; }

private:
    QPointer<ServerConnection> m_connection;
    QList<WireEventSink *> m_sinks;
    bool m_aborted = false;
    bool m_handshakeComplete = false;
    bool m_finished = false;
    bool m_begun = false; // opened() was emitted
};
