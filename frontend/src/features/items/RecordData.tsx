// A record's `data`, every field labelled with its schema title, in the UI schema's order.
// All user text is rendered as React text (escaped), never as HTML.
import { useId, type ReactNode } from 'react';
import type { SubtypeInfo } from './api.ts';
import { CalendarDate, DateTime, ExternalLink, webAddress } from './format.tsx';
import { RefLink } from './RefLink.tsx';
import {
  asSchema,
  asUiNode,
  childSchema,
  childUi,
  orderedKeys,
  propertyTitle,
  resolve,
  type SchemaNode,
  type UiNode,
} from './schema.ts';

interface NodeProps {
  schema: SchemaNode;
  ui: UiNode | undefined;
  root: SchemaNode;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isObjectList(value: unknown): value is Record<string, unknown>[] {
  return Array.isArray(value) && value.length > 0 && value.every(isPlainObject);
}

/** Nested objects and lists of objects get a heading of their own; everything else is one line. */
function isGroup(value: unknown, schema: SchemaNode): boolean {
  return (isPlainObject(value) && schema.properties !== undefined) || isObjectList(value);
}

export function RecordData({
  data,
  subtype,
  headingLevel,
}: {
  data: Record<string, unknown>;
  subtype: SubtypeInfo | undefined;
  headingLevel: number;
}) {
  const root = asSchema(subtype?.json_schema);
  return <ObjectFields value={data} schema={resolve(root, root)} ui={asUiNode(subtype?.ui_schema)} root={root} level={headingLevel} />;
}

function ObjectFields({ value, schema, ui, root, level }: NodeProps & { value: Record<string, unknown>; level: number }) {
  const blocks: ReactNode[] = [];
  let line: ReactNode[] = [];
  const endLine = () => {
    if (line.length) blocks.push(<dl className="record-fields" key={`fields-${blocks.length}`}>{line}</dl>);
    line = [];
  };
  for (const key of orderedKeys(value, schema, ui)) {
    const child = value[key];
    const props = { schema: childSchema(schema, key, root) ?? {}, ui: childUi(ui, key), root };
    const title = propertyTitle(schema, key, root);
    if (isGroup(child, props.schema)) {
      endLine();
      blocks.push(<FieldGroup key={key} title={title} value={child} level={level} {...props} />);
    } else {
      line.push(
        <div className="record-field" key={key}>
          <dt>{title}</dt>
          <dd>
            <Value value={child} {...props} />
          </dd>
        </div>,
      );
    }
  }
  endLine();
  return <>{blocks}</>;
}

function Heading({ level, id, children }: { level: number; id: string; children: ReactNode }) {
  const Tag = `h${Math.min(Math.max(level, 2), 6)}` as 'h2' | 'h3' | 'h4' | 'h5' | 'h6';
  return (
    <Tag id={id} className="record-group__title">
      {children}
    </Tag>
  );
}

function FieldGroup({ title, value, level, ...props }: NodeProps & { title: string; value: unknown; level: number }) {
  const headingId = useId();
  return (
    <section className="record-group" aria-labelledby={headingId}>
      <Heading level={level} id={headingId}>
        {title}
      </Heading>
      {isObjectList(value) ? (
        <ObjectList items={value} title={title} headingId={headingId} level={level + 1} {...props} />
      ) : (
        isPlainObject(value) && <ObjectFields value={value} level={level + 1} {...props} />
      )}
    </section>
  );
}

/** A list of objects: a small table when every column is one line, else one titled group per entry. */
function ObjectList({
  items,
  title,
  headingId,
  level,
  schema,
  ui,
  root,
}: NodeProps & { items: Record<string, unknown>[]; title: string; headingId: string; level: number }) {
  const itemSchema = childSchema(schema, 0, root) ?? {};
  const itemUi = childUi(ui, 0);
  const columns = orderedKeys(Object.assign({}, ...items) as Record<string, unknown>, itemSchema, itemUi);
  const flat = items.every((item) => columns.every((key) => !isGroup(item[key], childSchema(itemSchema, key, root) ?? {})));
  if (!flat) {
    const entryTitle = itemSchema.title || title;
    return items.map((item, index) => (
      <FieldGroup
        key={index}
        title={`${entryTitle} ${index + 1}`}
        value={item}
        level={level}
        schema={itemSchema}
        ui={itemUi}
        root={root}
      />
    ));
  }
  return (
    <div className="record-table">
      <table className="table" aria-labelledby={headingId}>
        <thead>
          <tr>
            {columns.map((key) => (
              <th scope="col" key={key}>
                {propertyTitle(itemSchema, key, root)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.map((item, index) => (
            <tr key={index}>
              {columns.map((key) => (
                <td key={key}>
                  <Value value={item[key]} schema={childSchema(itemSchema, key, root) ?? {}} ui={childUi(itemUi, key)} root={root} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function NotGiven() {
  return (
    <span className="muted">
      <span aria-hidden="true">—</span>
      <span className="visually-hidden">Not given</span>
    </span>
  );
}

function None() {
  return <span className="muted">None</span>;
}

/** One value, shown by what its schema says it is. */
export function Value({ value, schema, ui, root }: NodeProps & { value: unknown }) {
  if (value === undefined || value === null) return <NotGiven />;
  if (typeof value === 'boolean') return <>{value ? 'Yes' : 'No'}</>;
  if (typeof value === 'number') return <>{String(value)}</>;
  if (typeof value === 'string') return <Text value={value} schema={schema} ui={ui} />;
  if (Array.isArray(value)) {
    if (value.length === 0) return <None />;
    const itemSchema = childSchema(schema, 0, root) ?? {};
    return (
      <ul className="record-list">
        {value.map((entry, index) => (
          <li key={index}>
            <Value value={entry} schema={itemSchema} ui={childUi(ui, 0)} root={root} />
          </li>
        ))}
      </ul>
    );
  }
  if (isPlainObject(value)) {
    const keys = schema.properties ? orderedKeys(value, schema, ui) : Object.keys(value);
    if (keys.length === 0) return <None />;
    return (
      <dl className="record-map">
        {keys.map((key) => (
          <div className="record-map__entry" key={key}>
            {/* A map's keys are the user's own words (user metadata); a schema's properties have titles. */}
            <dt>{schema.properties ? propertyTitle(schema, key, root) : key}</dt>
            <dd>
              <Value value={value[key]} schema={childSchema(schema, key, root) ?? {}} ui={childUi(ui, key)} root={root} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return <>{String(value)}</>;
}

function Text({ value, schema, ui }: { value: string; schema: SchemaNode; ui: UiNode | undefined }) {
  if (schema['x-ref-subtype']) return <RefLink id={value} />;
  const enumName = ui?.['ui:enumNames']?.[value];
  if (enumName) return <>{enumName}</>;
  if (schema.format === 'date') return <CalendarDate value={value} />;
  if (schema.format === 'date-time') return <DateTime value={value} />;
  if (schema.format === 'email' && !/\s/.test(value)) return <a href={`mailto:${value}`}>{value}</a>;
  const url = webAddress(value);
  if (url) return <ExternalLink href={value} />;
  return <span className="record-text">{value}</span>;
}
