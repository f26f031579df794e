#include "probe/wirelogsample.h"

#include "protocol/frame.h"

#include <QCoreApplication>

namespace {
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(WireLogSample)
};
} // namespace

WireLogSample::WireLogSample(WireEventSink *into, qsizetype budgetPerDirection)
    : m_into(into)
    , m_budget(budgetPerDirection)
{
}

void WireLogSample::record(const WireEvent &event)
{
    const bool dataFrame = event.kind == EventKind::Frame && !Opcode::isControl(event.frame.opcode);
    if (!dataFrame) {
        m_into->record(event);
        return;
    }
    const int side = event.direction == Direction::Outgoing ? 1 : 0;
    if (m_full[side]) {
        if (m_leftOut++ == 0) {
            WireEvent note;
            note.kind = EventKind::Error;
            note.direction = Direction::Local;
            const QByteArray text = Tr::tr("The rest of this timed case's data frames are not kept in its wire log "
                                           "(control frames and the close are).")
                                        .toUtf8();
            note.payload = text;
            m_into->record(note);
        }
        return;
    }
    const qsizetype bytes = event.payload.size() + (event.hasInflated ? event.inflated.size() : 0);
    if (m_kept[side] + bytes <= m_budget) {
        m_kept[side] += bytes;
        m_into->record(event);
        return;
    }
    // The frame that reaches past the budget: its header and length, not its bytes.
    m_full[side] = true;
    WireEvent header = event;
    header.payload = {};
    header.inflated = {};
    header.hasInflated = false;
    header.payloadDropped = true;
    m_into->record(header);
}
