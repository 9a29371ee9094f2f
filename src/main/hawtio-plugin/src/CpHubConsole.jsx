import React, { useCallback, useEffect, useState } from 'react'
import {
  Alert,
  Button,
  Form,
  FormGroup,
  FormSelect,
  FormSelectOption,
  Label,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
  PageSection,
  Tab,
  TabTitleText,
  Tabs,
  TextArea,
  TextInput,
  Title,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from '@patternfly/react-core'
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table'
import { clocks, ops, opsPost } from './api'

// CP Hub's operator console inside Hawtio. Everything comes from the operations API (/api/ops/v1) with the
// console session: ids, states and counts; a message's content only to an admin who asks, with a reason
// (recorded). Actions are offered only to the roles
// the hub allows them (it refuses the others anyway), each confirmed with a required reason that the hub
// records with the user's name.

const REFRESH_MS = 5000

function when(instant) {
  return instant ? new Date(instant).toLocaleString() : '—'
}

function usePolled(load, deps) {
  const [data, setData] = useState(null)
  const [error, setError] = useState(null)
  const refresh = useCallback(() => {
    load().then(d => { setData(d); setError(null) }).catch(e => setError(e.message))
  }, deps) // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    refresh()
    const timer = setInterval(refresh, REFRESH_MS)
    return () => clearInterval(timer)
  }, [refresh])
  return [data, error, refresh]
}

function Problem({ error }) {
  return error ? <Alert variant='danger' isInline title={error} /> : null
}

function Flows() {
  const [queues, error] = usePolled(() => ops('queues'), [])
  return (
    <>
      <Problem error={error} />
      <Table aria-label='Queues' variant='compact'>
        <Thead><Tr><Th modifier='wrap'>Queue</Th><Th modifier='wrap'>Messages</Th><Th modifier='wrap'>In delivery</Th><Th modifier='wrap'>Consumers</Th><Th modifier='wrap'>Oldest message</Th></Tr></Thead>
        <Tbody>
          {(queues || []).map(q => (
            <Tr key={q.queue} data-queue={q.queue}>
              <Td>{q.queue} {q.deadLetter && q.messages > 0 ? <Label color='red'>dead letters</Label> : null}</Td>
              <Td>{q.messages}</Td>
              <Td>{q.inDelivery}</Td>
              <Td>{q.consumers}</Td>
              <Td>{q.messages > 0 ? q.oldestMessageAgeSeconds + ' s' : '—'}</Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
    </>
  )
}

const CIRCUIT_COLOURS = { closed: 'green', 'half-open': 'orange', open: 'red' }

function Circuit({ lane }) {
  return <Label color={CIRCUIT_COLOURS[lane.circuit] || 'grey'}>{lane.circuit}</Label>
}

function Partners() {
  const [partners, error] = usePolled(() => ops('partners'), [])
  return (
    <>
      <Problem error={error} />
      <Table aria-label='Partners' variant='compact'>
        <Thead>
          <Tr><Th modifier='wrap'>Partner</Th><Th modifier='wrap'>Routine lane</Th><Th modifier='wrap'>Emergency lane</Th><Th modifier='wrap'>Waiting</Th><Th modifier='wrap'>In delivery</Th>
            <Th modifier='wrap'>Dead letters</Th><Th modifier='wrap'>Last delivered</Th><Th modifier='wrap'>Last failure</Th></Tr>
        </Thead>
        <Tbody>
          {(partners || []).map(p => (
            <Tr key={p.partner} data-partner={p.partner}>
              <Td>{p.partner}<br /><small>{p.name}</small></Td>
              <Td><Circuit lane={p.routine} /></Td>
              <Td><Circuit lane={p.urgent} /></Td>
              <Td>{p.routine.waiting + p.urgent.waiting}</Td>
              <Td>{p.routine.inDelivery + p.urgent.inDelivery}</Td>
              <Td>{p.deadLetters > 0 ? <Label color='red'>{p.deadLetters}</Label> : 0}</Td>
              <Td>{when(p.lastDeliveredAt)}</Td>
              <Td>{p.lastFailure ? p.lastFailure + ' at ' + when(p.lastFailedAt) : '—'}</Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
    </>
  )
}

/** The confirmation every action needs: what it does, and a reason that is recorded with the user's name. */
function Confirm({ action, onDone, onCancel }) {
  const [reason, setReason] = useState('')
  const [error, setError] = useState(null)
  const [busy, setBusy] = useState(false)
  const confirm = () => {
    setBusy(true)
    opsPost(action.path, { messageId: action.messageId, reason })
      .then(outcome => onDone(outcome))
      .catch(e => { setError(e.message); setBusy(false) })
  }
  return (
    <Modal isOpen variant='small' onClose={onCancel} aria-labelledby='cphub-confirm-title'>
      <ModalHeader title={action.title} labelId='cphub-confirm-title' />
      <ModalBody>
        <p>{action.explanation}</p>
        <Form onSubmit={e => e.preventDefault()}>
          <FormGroup label="Reason (recorded with your name; no child's details)" isRequired fieldId='cphub-reason'>
            <TextArea id='cphub-reason' value={reason} onChange={(_, value) => setReason(value)} isRequired
              aria-label='Reason' />
          </FormGroup>
        </Form>
        <Problem error={error} />
      </ModalBody>
      <ModalFooter>
        <Button variant={action.danger ? 'danger' : 'primary'} onClick={confirm} isDisabled={busy || !reason.trim()}>
          {action.confirmLabel}
        </Button>
        <Button variant='link' onClick={onCancel}>Cancel</Button>
      </ModalFooter>
    </Modal>
  )
}

/** A message's content, shown to an admin who asked for it with a reason. */
function Content({ title, content, onClose }) {
  return (
    <Modal isOpen variant='large' onClose={onClose} aria-labelledby='cphub-content-title'>
      <ModalHeader title={title} labelId='cphub-content-title' />
      <ModalBody>
        <pre className='cphub-content'>{typeof content === 'string' ? content : JSON.stringify(content, null, 2)}</pre>
      </ModalBody>
      <ModalFooter><Button variant='primary' onClick={onClose}>Close</Button></ModalFooter>
    </Modal>
  )
}

function DeadLetters({ me }) {
  const [partners] = usePolled(() => ops('partners'), [])
  const [partner, setPartner] = useState('police')
  const [letters, error, refresh] = usePolled(() => ops('dead-letters/' + encodeURIComponent(partner)), [partner])
  const [action, setAction] = useState(null)
  const [done, setDone] = useState(null)
  const retry = letter => setAction({
    path: `dead-letters/${partner}/retry`, messageId: letter ? letter.messageId : undefined, confirmLabel: 'Retry',
    title: letter ? `Retry referral ${letter.referralId}?` : `Retry all ${letters.length} dead letters of ${partner}?`,
    explanation: `The referral goes back to cphub.deliver.${partner} and is delivered again with the same Idempotency-Key.`,
  })
  const move = letter => setAction({
    path: `dead-letters/${partner}/move`, messageId: letter.messageId, confirmLabel: 'Move',
    title: `Move referral ${letter.referralId} to ${partner}'s emergency lane?`,
    explanation: `It goes to cphub.deliver.${partner}.urgent, ahead of every routine referral of ${partner}, and is delivered with the same Idempotency-Key.`,
  })
  const view = letter => setAction({
    path: `dead-letters/${partner}/${letter.messageId}/content`, confirmLabel: 'View', content: true,
    title: `View what referral ${letter.referralId} says?`,
    explanation: `You will see a child's report as ${partner} was to receive it. Your view is recorded with your name and reason.`,
  })
  const [shown, setShown] = useState(null)
  const discard = letter => setAction({
    path: `dead-letters/${partner}/discard`, messageId: letter.messageId, confirmLabel: 'Discard', danger: true,
    title: `Discard referral ${letter.referralId}?`,
    explanation: `It is removed from cphub.dlq.${partner} for good and will never reach ${partner}.`,
  })
  return (
    <>
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <FormSelect value={partner} onChange={(_, value) => setPartner(value)} aria-label='Partner'>
              {(partners || [{ partner: 'police' }]).map(p => <FormSelectOption key={p.partner} value={p.partner} label={p.partner} />)}
            </FormSelect>
          </ToolbarItem>
          {me && me.mayRetry && letters && letters.length > 0 ? (
            <ToolbarItem><Button variant='secondary' onClick={() => retry(null)}>Retry all</Button></ToolbarItem>
          ) : null}
        </ToolbarContent>
      </Toolbar>
      {done ? <Alert variant='success' isInline title={done} /> : null}
      <Problem error={error} />
      <Table aria-label='Dead letters' variant='compact'>
        <Thead>
          <Tr><Th modifier='wrap'>Referral</Th><Th modifier='wrap'>Incident</Th><Th modifier='wrap'>Status</Th><Th modifier='wrap'>Reason</Th><Th modifier='wrap'>Attempts</Th><Th modifier='wrap'>Dead-lettered</Th><Th /></Tr>
        </Thead>
        <Tbody>
          {(letters || []).map(l => (
            <Tr key={l.messageId} data-referral={l.referralId}>
              <Td>{l.referralId}</Td>
              <Td>{l.incidentId}</Td>
              <Td>{l.failureStatus}</Td>
              <Td>{l.failureReason}</Td>
              <Td>{l.attempts}</Td>
              <Td>{when(l.deadLetteredAt)}</Td>
              <Td>
                {me && me.mayRetry ? <Button variant='primary' size='sm' onClick={() => retry(l)}>Retry</Button> : null}{' '}
                {me && me.mayRetry ? <Button variant='secondary' size='sm' onClick={() => move(l)}>Move to emergency lane</Button> : null}{' '}
                {me && me.mayViewContent ? <Button variant='secondary' size='sm' onClick={() => view(l)}>View</Button> : null}{' '}
                {me && me.mayDiscard ? <Button variant='danger' size='sm' onClick={() => discard(l)}>Discard</Button> : null}
              </Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
      {letters && letters.length === 0 ? <p>No dead letters for {partner}.</p> : null}
      {action ? (
        <Confirm action={action} onCancel={() => setAction(null)} onDone={outcome => {
          setAction(null)
          if (action.content) {
            setShown(outcome)
            return
          }
          setDone(`${outcome.action}: ${outcome.count} message(s), operator action #${outcome.actionId}`)
          refresh()
        }} />
      ) : null}
      {shown ? <Content title={`Message ${shown.messageId} as ${shown.partner} was to receive it`} content={shown.content}
        onClose={() => setShown(null)} /> : null}
    </>
  )
}

function Clocks() {
  const [report, error] = usePolled(() => clocks(), [])
  return (
    <>
      <Problem error={error} />
      {report ? (report.countedAt
        ? <p>Running {report.running} · near their deadline {report.nearBreach} · breached {report.breached} (counted {when(report.countedAt)})</p>
        : <p>The clocks have not been counted yet.</p>) : null}
      {report && report.attention.length < report.nearBreach + report.breached ? (
        <p className='cphub-clocks-listed'>The table lists {report.attention.length} of the {report.nearBreach + report.breached} clocks
          near or past their deadline: those that can still be met first, then the breached ones, soonest deadline first.</p>
      ) : null}
      <Table aria-label='Clocks' variant='compact'>
        <Thead><Tr><Th modifier='wrap'>Referral</Th><Th modifier='wrap'>Partner</Th><Th modifier='wrap'>Clock</Th><Th modifier='wrap'>Started</Th><Th modifier='wrap'>Deadline</Th><Th modifier='wrap'>State</Th></Tr></Thead>
        <Tbody>
          {(report ? report.attention : []).map(c => (
            <Tr key={c.referralId + c.clock}>
              <Td>{c.referralId}</Td>
              <Td>{c.partner}</Td>
              <Td>{c.clock}</Td>
              <Td>{when(c.startedAt)}</Td>
              <Td>{when(c.deadline)}</Td>
              <Td>{c.breachedAt ? <Label color='red'>breached</Label> : <Label color='orange'>near deadline</Label>}</Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
    </>
  )
}

function Journey({ me }) {
  const [id, setId] = useState('')
  const [journey, setJourney] = useState(null)
  const [error, setError] = useState(null)
  const [action, setAction] = useState(null)
  const [done, setDone] = useState(null)
  const [shown, setShown] = useState(null)
  const lookUp = () => ops('journeys/' + encodeURIComponent(id.trim()))
    .then(j => { setJourney(j); setError(null) }).catch(e => { setJourney(null); setError(e.message) })
  const replay = s => setAction({
    path: `referrals/${s.referralId}/replay`, confirmLabel: 'Send again',
    title: `Send referral ${s.referralId} to ${s.partnerId} again?`,
    explanation: `${s.partnerId} receives again exactly what it was delivered, with the same Idempotency-Key, so it can tell it has it already.`,
  })
  const retriage = () => setAction({
    path: `incidents/${journey.id}/retriage`, confirmLabel: 'Triage again', retriage: true,
    title: `Triage incident ${journey.id} again?`,
    explanation: 'Triage routes it by the routing rules now in force and sends it only to recipients it has not had; '
      + 'those that have it get nothing again.',
  })
  const view = s => setAction({
    path: `referrals/${s.referralId}/content`, confirmLabel: 'View', content: true,
    title: `View what ${s.partnerId} was delivered?`,
    explanation: `You will see a child's report as ${s.partnerId} received it. Your view is recorded with your name and reason.`,
  })
  // the referrals of this journey that were delivered: their content is kept (for the retention) and can be sent again
  const delivered = journey ? journey.steps.filter(s => s.step === 'DELIVERED' && s.referralId
    && (s.detail == null || s.detail === '')) : []
  const seen = new Set()
  const firstDeliveries = delivered.filter(s => !seen.has(s.referralId) && seen.add(s.referralId))
  return (
    <>
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <TextInput value={id} onChange={(_, value) => setId(value)} aria-label='Incident or referral id'
              placeholder='incident or referral id' />
          </ToolbarItem>
          <ToolbarItem><Button onClick={lookUp} isDisabled={!id.trim()}>Look up</Button></ToolbarItem>
          {journey && journey.kind === 'incident' && me && me.mayRetry ? (
            <ToolbarItem><Button variant='secondary' onClick={retriage}>Triage again</Button></ToolbarItem>
          ) : null}
        </ToolbarContent>
      </Toolbar>
      {done ? <Alert variant='success' isInline title={done} /> : null}
      <Problem error={error} />
      {journey ? (
        <Table aria-label='Journey' variant='compact'>
          <Thead><Tr><Th modifier='wrap'>When</Th><Th modifier='wrap'>Step</Th><Th modifier='wrap'>Partner</Th><Th modifier='wrap'>Referral</Th><Th modifier='wrap'>Attempt</Th><Th modifier='wrap'>Outcome</Th><Th modifier='wrap'>Detail</Th><Th /></Tr></Thead>
          <Tbody>
            {journey.steps.map((s, i) => (
              <Tr key={i} data-step={s.step} data-referral={s.referralId || ''}>
                <Td>{when(s.recordedAt)}</Td>
                <Td>{s.step}</Td>
                <Td>{s.partnerId || '—'}</Td>
                <Td>{s.referralId || '—'}</Td>
                <Td>{s.attempt == null ? '—' : s.attempt}</Td>
                <Td>{s.outcome || '—'}</Td>
                <Td>{s.detail || '—'}</Td>
                <Td>
                  {firstDeliveries.includes(s) && me && me.mayRetry
                    ? <Button variant='secondary' size='sm' onClick={() => replay(s)}>Send again</Button> : null}{' '}
                  {firstDeliveries.includes(s) && me && me.mayViewContent
                    ? <Button variant='secondary' size='sm' onClick={() => view(s)}>View</Button> : null}
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      ) : null}
      {action ? (
        <Confirm action={action} onCancel={() => setAction(null)} onDone={outcome => {
          setAction(null)
          if (action.content) {
            setShown(outcome)
            return
          }
          setDone(action.retriage ? `Back to triage, operator action #${outcome.actionId}`
            : `Sent again to ${outcome.partner} (${outcome.queue}), operator action #${outcome.actionId}`)
          lookUp()
        }} />
      ) : null}
      {shown ? <Content title={`Referral ${shown.referralId} as it was delivered`} content={shown.content}
        onClose={() => setShown(null)} /> : null}
    </>
  )
}

function Actions() {
  const [actions, error] = usePolled(() => ops('actions?limit=50'), [])
  return (
    <>
      <Problem error={error} />
      <Table aria-label='Operator actions' variant='compact'>
        <Thead><Tr><Th modifier='wrap'>#</Th><Th modifier='wrap'>When</Th><Th modifier='wrap'>Who</Th><Th modifier='wrap'>Action</Th><Th modifier='wrap'>Partner</Th><Th modifier='wrap'>Reason</Th><Th modifier='wrap'>Outcome</Th></Tr></Thead>
        <Tbody>
          {(actions || []).map(a => (
            <Tr key={a.id}>
              <Td>{a.id}</Td>
              <Td>{when(a.actedAt)}</Td>
              <Td>{a.user}</Td>
              <Td>{a.action}</Td>
              <Td>{a.partner}</Td>
              <Td>{a.reason}</Td>
              <Td>{a.outcome}</Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
    </>
  )
}

export const CpHubConsole = () => {
  const [tab, setTab] = useState('flows')
  const [me, setMe] = useState(null)
  useEffect(() => { ops('me').then(setMe).catch(() => setMe(null)) }, [])
  return (
    <PageSection>
      <Title headingLevel='h1'>CP Hub</Title>
      {me ? <p>Signed in as {me.user} ({me.roles.join(', ')})</p> : null}
      <Tabs activeKey={tab} onSelect={(_, key) => setTab(key)} mountOnEnter unmountOnExit aria-label='CP Hub'>
        <Tab eventKey='flows' title={<TabTitleText>Flows</TabTitleText>}><Flows /></Tab>
        <Tab eventKey='partners' title={<TabTitleText>Partners</TabTitleText>}><Partners /></Tab>
        <Tab eventKey='dead-letters' title={<TabTitleText>Dead letters</TabTitleText>}><DeadLetters me={me} /></Tab>
        <Tab eventKey='clocks' title={<TabTitleText>Clocks</TabTitleText>}><Clocks /></Tab>
        <Tab eventKey='journey' title={<TabTitleText>Journey</TabTitleText>}><Journey me={me} /></Tab>
        <Tab eventKey='actions' title={<TabTitleText>Actions</TabTitleText>}><Actions /></Tab>
      </Tabs>
    </PageSection>
  )
}
