import { render } from 'preact';
import { App } from './app';
import { loadSession } from './session';
import './styles/index.css';

void loadSession();
render(<App />, document.getElementById('app') as HTMLElement);
