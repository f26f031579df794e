#pragma once

#include "decode/decoded.h"

#include <QAbstractListModel>
#include <QList>
#include <QPointer>
#include <QString>

class ProtocolDecoding;

// Real messages of one connection as examples for the Learn dock's note on the protocol they speak:
// the first message of each unit type ("open", "event", "SEND", "PUBLISH" ...), in the order they came,
// up to maxExamples(). Each row says who sent it, what the decoder made of it, the message as sent
// (through the display rule: text as plain text with escapes, binary as hex) and where it is in the
// capture, so that the dock can point at it in the log.
//
// It follows a ProtocolDecoding: rows are added as the decoding takes messages in and start over
// when the decoding does (a protocol found or chosen, Clear). Only the first maxScannedMessages()
// data messages are looked at, so that a long capture costs nothing once they are behind. Units
// that did not decode (an error) are not examples.
class ProtocolExamples : public QAbstractListModel {
    Q_OBJECT
public:
    static constexpr int DefaultMaxExamples = 6;
    static constexpr qsizetype DefaultMaxScannedMessages = 1000;
    static constexpr qsizetype RawChars = 240; // displayed characters of a text message
    static constexpr qsizetype HexBytes = 24; // bytes of a binary message shown in hex

    enum Role {
        CaptureIndexRole = Qt::UserRole + 1, // qlonglong: the message's final frame in the capture
        TypeRole, // the unit's type, "event"
        KindRole, // how the dock names it: "event", or "messages › STOMP SEND" for a unit inside another
        SummaryRole, // the decoder's one-line summary
        RawTextRole, // the message as sent, through the display rule
        SenderRole, // int: Decode::Sender
        BinaryRole, // bool
        NoteRole, // what such a unit is (ProtocolNotes::unitNote), may be empty
    };

    struct Example {
        qsizetype captureIndex = -1;
        Decode::Sender sender = Decode::Sender::Client;
        bool binary = false;
        qsizetype bytes = 0; // the message's payload size
        Decode::Protocol protocol = Decode::Protocol::None; // the unit's: the inner one for a carried unit
        QString type; // "messages", or for a carried unit the inner type ("SEND")
        QString kind;
        QString summary;
        QString raw;
        QString note;
    };

    explicit ProtocolExamples(QObject *parent = nullptr);

    // The connection to take examples from; nullptr for none. The decoding is not owned.
    void setDecoding(ProtocolDecoding *decoding);
    ProtocolDecoding *decoding() const;

    void setMaxExamples(int count);
    int maxExamples() const { return m_maxExamples; }
    void setMaxScannedMessages(qsizetype count);
    qsizetype maxScannedMessages() const { return m_maxScanned; }

    // The protocol the examples are of: the decoding's active protocol (None: no examples).
    Decode::Protocol protocol() const { return m_protocol; }
    // How the decoding found it ("the URL /socket.io/?EIO=4..."): our words around text already
    // through the display rule; empty when none.
    QString reason() const;

    const Example &example(int row) const { return m_examples.at(row); }
    const QList<Example> &examples() const { return m_examples; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // "client → server", "server → client": who sent an example.
    static QString directionText(Decode::Sender sender);
    // The display form of a message's payload, as an example shows it.
    static QString rawText(const QByteArray &payload, bool binary);

Q_SIGNALS:
    // protocol() changed (rows were reset too).
    void protocolChanged(Decode::Protocol protocol);

private:
    void restart();
    void scanTo(qsizetype end);
    bool isFull() const { return m_examples.size() >= m_maxExamples; }

    QPointer<ProtocolDecoding> m_decoding;
    QList<Example> m_examples;
    QStringList m_seenKeys; // type keys already shown: few, so a list
    Decode::Protocol m_protocol = Decode::Protocol::None;
    int m_maxExamples = DefaultMaxExamples;
    qsizetype m_maxScanned = DefaultMaxScannedMessages;
    qsizetype m_scanned = 0; // capture events looked at so far
    qsizetype m_messagesLooked = 0; // of them, data messages decoded
};
