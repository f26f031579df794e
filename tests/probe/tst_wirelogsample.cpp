// A timed case's wire log sample: everything but data frames past the budget, per direction; the
// frame that crosses the budget kept without its payload; one note where frames were first left out.

#include "captureevents.h"
#include "eventfixtures.h"
#include "log/capture.h"
#include "probe/wirelogsample.h"
#include "protocol/frame.h"
#include "protocol/framewriter.h"

#include <QTest>

class tst_WireLogSample : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void keepsWhatExplainsTheConnection();
};

void tst_WireLogSample::keepsWhatExplainsTheConnection()
{
    Capture capture;
    WireLogSample sample(&capture, 100);
    const QByteArray forty(40, 'a');
    const QByteArray ping("ping");
    recordFrame(sample, Direction::Outgoing, Opcode::Text, forty); // 40 of 100
    recordFrame(sample, Direction::Incoming, Opcode::Text, forty); // incoming has its own budget
    recordFrame(sample, Direction::Outgoing, Opcode::Binary, forty); // 80
    recordFrame(sample, Direction::Outgoing, Opcode::Text, forty); // past 100: header only
    recordFrame(sample, Direction::Outgoing, Opcode::Ping, ping); // control frames always
    recordFrame(sample, Direction::Outgoing, Opcode::Text, forty); // left out, with a note
    recordFrame(sample, Direction::Outgoing, Opcode::Continuation, forty); // left out
    recordFrame(sample, Direction::Incoming, Opcode::Text, forty); // incoming still within its budget
    recordFrame(sample, Direction::Outgoing, Opcode::Close, QByteArray::fromHex("03e8"));

    QCOMPARE(sample.leftOut(), quint64(2));
    const QList<WireEvent> out = framesOf(capture, Direction::Outgoing);
    QCOMPARE(out.size(), 5);
    QCOMPARE(out[0].payload.toByteArray(), forty);
    QCOMPARE(out[1].frame.opcode, Opcode::Binary);
    QVERIFY(out[2].payloadDropped);
    QCOMPARE(out[2].frame.declaredLength, quint64(40)); // the header still says how long it was
    QCOMPARE(out[3].payload.toByteArray(), ping);
    QCOMPARE(out[4].frame.opcode, Opcode::Close);
    QCOMPARE(framesOf(capture, Direction::Incoming).size(), 2);
    const QList<WireEvent> notes = eventsOfKind(capture, EventKind::Error);
    QCOMPARE(notes.size(), 1);
    QVERIFY(notes[0].text().contains(QStringLiteral("not kept")));
    // The note sits where the first frame was left out: after the ping, before the close.
    QCOMPARE(capture.event(5).kind, EventKind::Error);
}

QTEST_GUILESS_MAIN(tst_WireLogSample)
#include "tst_wirelogsample.moc"
