#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <memory>

// The compression of permessage-deflate (RFC 7692 §7.2): raw DEFLATE streams (no zlib header),
// one message at a time, the final empty block's 00 00 ff ff tail removed on the wire. Each
// direction of a connection has its own stream; with context takeover the sliding window carries
// over from one message to the next, without it the stream starts afresh for each message.

// Inflates the messages one peer sends. A message arrives in frames: feed each frame's payload as it
// comes, then finish(). The size limit counts inflated bytes while inflating: output is produced in
// slices and refused as soon as it would exceed the limit, so a deflate bomb costs nothing.
class MessageInflater {
public:
    enum class Result {
        Ok,
        TooBig, // the inflated message would exceed maxMessageBytes (answer 1009)
        Corrupt, // not a valid DEFLATE stream (answer 1007, as strict peers do)
    };

    // `noContextTakeover` as the sender promised. The window is always zlib's largest (32 KiB):
    // a sender's stream never reaches further back than its own, smaller, window.
    MessageInflater(bool noContextTakeover, quint64 maxMessageBytes);
    ~MessageInflater();
    MessageInflater(const MessageInflater &) = delete;
    MessageInflater &operator=(const MessageInflater &) = delete;

    // Inflates `compressed` (one frame's payload) and appends to `out`. After TooBig or Corrupt the
    // message is lost: call reset() before the next one (the connection is normally failed).
    Result feed(QByteArrayView compressed, QByteArray &out);
    // The message's last frame was fed: appends the 00 00 ff ff tail, inflates what remains and ends
    // the message (resetting the window without context takeover).
    Result finish(QByteArray &out);
    void reset();
    // A new limit, from the next byte on: the window and the message in progress are kept.
    void setMaxMessageBytes(quint64 maxMessageBytes) { m_maxMessageBytes = maxMessageBytes; }

    quint64 messageInBytes() const { return m_inBytes; } // compressed bytes of the current message
    quint64 messageOutBytes() const { return m_outBytes; } // inflated bytes of the current message
    QString errorString() const { return m_error; }

private:
    Result run(QByteArrayView input, QByteArray &out);

    struct Stream;
    std::unique_ptr<Stream> m_stream;
    bool m_noContextTakeover;
    quint64 m_maxMessageBytes;
    quint64 m_inBytes = 0;
    quint64 m_outBytes = 0;
    QString m_error;
};

// Compresses the messages this side sends.
class MessageDeflater {
public:
    // `windowBits` 8..15 as negotiated (zlib deflates with 9 when asked for 8); `level` as zlib's.
    MessageDeflater(int windowBits, bool noContextTakeover, int level = 6);
    ~MessageDeflater();
    MessageDeflater(const MessageDeflater &) = delete;
    MessageDeflater &operator=(const MessageDeflater &) = delete;

    // One whole message, compressed and flushed, without the 00 00 ff ff tail (RFC 7692 §7.2.1).
    QByteArray compress(QByteArrayView message);

private:
    struct Stream;
    std::unique_ptr<Stream> m_stream;
    bool m_noContextTakeover;
};
