#pragma once

#include "protocol/frame.h"

// Numbers the data messages of one direction of a connection as their frames go by (RFC 6455 §5.4),
// so that each frame says which message it belongs to: a text or binary frame starts message n + 1
// (abandoning an unfinished one, as a receiver must treat it); a continuation belongs to the message
// in progress, the final one (FIN) ends it; control frames, reserved opcodes and a continuation with
// no message in progress belong to none (0).
class MessageNumbering {
public:
    quint32 next(const FrameHeader &header)
    {
        const quint8 opcode = header.opcode & 0xF;
        if (opcode == Opcode::Text || opcode == Opcode::Binary) {
            ++m_last;
            m_open = !header.fin;
            return m_last;
        }
        if (opcode != Opcode::Continuation || !m_open)
            return 0;
        m_open = !header.fin;
        return m_last;
    }
    void reset() { *this = {}; }

private:
    quint32 m_last = 0;
    bool m_open = false;
};
