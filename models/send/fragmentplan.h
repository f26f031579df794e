#pragma once

#include "protocol/framewriter.h"

#include <QList>
#include <QString>
#include <QStringList>

// Splitting one text or binary message into the frames of a fragmented message (RFC 6455 §5.4),
// optionally with a ping between fragments, for the fragment builder. Widget-free so the plan can be
// tested byte for byte.
namespace FragmentPlan {

struct Options {
    enum class SplitBy {
        Count, // into `count` fragments of sizes as even as possible
        Size, // into fragments of `size` bytes, the last one shorter
    };
    quint8 opcode = Opcode::Text; // Text or Binary
    QByteArray message;
    SplitBy splitBy = SplitBy::Count;
    int count = 2;
    qsizetype size = 16;
    bool pingBetween = false; // a ping after every fragment but the last
    QByteArray pingPayload;
    // Every frame masked, as a client must; no key is set, so each frame gets a fresh random one when
    // it is sent (RFC 6455 §5.3).
    bool mask = true;
};

struct PlannedFrame {
    FrameSpec spec;
    int fragment = -1; // 0-based fragment of the message; -1 for a ping between fragments
};

struct Plan {
    QList<PlannedFrame> frames; // in sending order
    int fragmentCount = 0;
    QStringList notes; // what is unusual but allowed (or not), one sentence each
    QString error; // empty when the plan can be sent
    bool ok() const { return error.isEmpty(); }
    QList<FrameSpec> specs() const;
};

// Refuses (error) counts below 1 and sizes below 1. Count mode with more fragments than bytes makes
// empty fragments, which RFC 6455 allows; a note says so. For text messages a note names every
// fragment boundary that falls inside a UTF-8 code point (allowed: only the whole message must be
// valid UTF-8) and says when the message itself is not valid UTF-8.
Plan make(const Options &options);

} // namespace FragmentPlan
