// Translated sentences with elements inside them (a link, a countdown, a
// bold name): the translation decides where each element goes, so Chinese
// can put them in its own word order.
import { Fragment, type ComponentChildren } from 'preact';
import { t } from '.';
import type { MessageKey } from './messages';

/** fillSlots puts parts where text has {name} placeholders; unknown ones stay as written. */
export function fillSlots(text: string, parts: Record<string, ComponentChildren>): ComponentChildren {
  return text
    .split(/(\{\w+\})/)
    .filter((piece) => piece !== '')
    .map((piece, i) => {
      const name = /^\{(\w+)\}$/.exec(piece)?.[1];
      return <Fragment key={i}>{name !== undefined && name in parts ? parts[name] : piece}</Fragment>;
    });
}

/** tSlots translates key and fills its placeholders with parts. */
export function tSlots(key: MessageKey, parts: Record<string, ComponentChildren>): ComponentChildren {
  return fillSlots(t(key), parts);
}
