namespace Iscsi.Tests.Fakes;

/// <summary>What a fake target does with one PDU received in full feature phase. It runs on the connection's
/// read loop, one PDU at a time: a script that wants to answer later starts its own task.</summary>
internal delegate Task FakeScript(FakeConnection connection, ReceivedPdu pdu);
