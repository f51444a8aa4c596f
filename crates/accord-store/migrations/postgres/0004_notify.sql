-- Several nodes on one database: every appended event wakes the others.
-- The notice names the process and the event's sequence number; it is only a
-- wake-up (a node reads the log itself for the events), so a notice lost
-- while a node was disconnected costs latency, never an event. A trigger
-- rather than the server's own NOTIFY, so that any writer (a CLI import, an
-- older node) wakes the nodes too. Notices are delivered when the appending
-- transaction commits, never for a batch that is rolled back.
CREATE FUNCTION events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('accord_events', NEW.process || ' ' || NEW.seq);
    RETURN NULL;
END $$;
CREATE TRIGGER events_notify AFTER INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION events_notify();

